use super::guardrails::{guardrails_resource, GuardrailsCard};
use super::kill_switch::{KillSwitchCard, KillSwitchControls};
use crate::api::console_impersonation_settings::{
    get_impersonation_config, UpdateImpersonationConfig,
};
use crate::components::{form_error, succeeded, ErrorNote};
use crate::model::{ConsoleSession, ImpersonationConfig};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// **Login & Registration > Organization settings > Impersonation**: whether the impersonated
/// user gets an email when a session on their account starts (and ends), on by default; and the
/// kill switch.
#[component]
pub fn ImpersonationSettingsPage() -> impl IntoView {
    let config = Resource::new(|| (), |_| get_impersonation_config());
    let kill_switch = KillSwitchControls::new();
    let guardrails = guardrails_resource();
    view! {
        <Title text="Impersonation · Login & Registration · Console · Guise" />
        <p class="breadcrumb"><A href="/console/login-and-registration">"Login & Registration"</A>" / Impersonation"</p>
        <h1>"Impersonation"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || config.get().map(|result| match result {
                Ok(c) => view! { <ImpersonationForm config=c /> }.into_any(),
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
        <GuardrailsCard policy=guardrails />
        <KillSwitchCard controls=kill_switch />
    }
}

#[component]
fn ImpersonationForm(config: ImpersonationConfig) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.configs.update);
    let enabled = RwSignal::new(config.enable_email_notification);
    let update = ServerAction::<UpdateImpersonationConfig>::new();
    let result = update.value();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            enabled.set(saved.enable_email_notification);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(UpdateImpersonationConfig {
            enable_email_notification: enabled.get_untracked(),
        });
    };
    let problem = form_error(result);
    view! {
        {move || problem().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card" aria-labelledby="email-notification-title">
            <h2 id="email-notification-title">"Email notification"</h2>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <div class="field checkbox">
                    <label>
                        <input
                            id="field-enable_email_notification"
                            name="enable_email_notification"
                            type="checkbox"
                            role="switch"
                            disabled=!can_update
                            bind:checked=enabled
                        />
                        "Enable email notification"
                    </label>
                    <p class="hint">
                        "When an impersonation session starts, the user gets an email naming who impersonates them; "
                        "when it ends, another listing what was changed on their behalf. Customize them in "
                        <A href="/console/email-templates">"Branding > Email Templates"</A>"."
                    </p>
                </div>
                <Show when=move || can_update>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                    </div>
                </Show>
            </form>
        </section>
    }
}
