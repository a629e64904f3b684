use crate::api::console_portal_switch::{my_account_status, SetMyAccountEnabled};
use crate::components::{form_error, CheckboxField, ErrorNote};
use crate::model::ConsoleSession;
use leptos::prelude::*;

/// What disabling means, said beside the switch.
const NOTE: &str = "Users manage their own profile and password in My Account, and administrators impersonate users through it. Disabling it signs everyone out of My Account at once and makes impersonation through the Console unavailable.";

/// The My Account application's **Enable My Account**, on its General tab.
#[component]
pub fn MyAccountSwitch() -> impl IntoView {
    let status = Resource::new(|| (), |_| my_account_status());
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading whether My Account is enabled…"</p> }>
            {move || {
                status
                    .get()
                    .map(|result| match result {
                        Ok(enabled) => view! { <SwitchForm enabled /> }.into_any(),
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn SwitchForm(enabled: bool) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.applications.update);
    let checked = RwSignal::new(enabled);
    let update = ServerAction::<SetMyAccountEnabled>::new();
    let result = update.value();
    let problem = form_error(result);
    // What the last successful Update stored.
    let saved = move || result.get().and_then(Result::ok);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(SetMyAccountEnabled {
            enabled: checked.get_untracked(),
        });
    };
    view! {
        <section class="card" aria-labelledby="my-account-switch-title">
            <h2 id="my-account-switch-title">"My Account portal"</h2>
            {move || problem().map(|e| view! { <ErrorNote error=e /> })}
            {move || {
                saved()
                    .map(|on| {
                        let text = if on { "My Account is enabled." } else { "My Account is disabled." };
                        view! { <p class="alert alert-success" role="status">{text}</p> }
                    })
            }}
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <CheckboxField
                    label="Enable My Account"
                    name="my_account_enabled"
                    checked
                    hint=NOTE
                    disabled=!can_update
                />
                <Show when=move || can_update>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                    </div>
                </Show>
            </form>
        </section>
    }
}
