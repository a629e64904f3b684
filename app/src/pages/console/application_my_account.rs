use crate::api::console_portal_switch::SetMyAccountEnabled;
use crate::components::{form_error, CheckboxField, ErrorNote};
use crate::model::ConsoleSession;
use leptos::prelude::*;

/// What disabling means, said beside the switch.
const NOTE: &str = "Users manage their own profile and password in My Account, and administrators impersonate users through it. Disabling it signs everyone out of My Account at once and makes impersonation through the Console unavailable.";

/// The My Account application's **Enable My Account** with **Update**, on its General tab.
/// `enabled` is the stored state (it comes with the application, so the page loads no more).
#[component]
pub fn MyAccountSwitch(
    enabled: bool,
    /// Told the state stored by each successful update.
    #[prop(optional, into)]
    on_saved: Option<Callback<bool>>,
) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.applications.update);
    let checked = RwSignal::new(enabled);
    let update = ServerAction::<SetMyAccountEnabled>::new();
    let result = update.value();
    let problem = form_error(result);
    // What the last successful Update stored.
    let saved = move || result.get().and_then(Result::ok);
    Effect::new(move |_| {
        if let (Some(on), Some(on_saved)) = (saved(), on_saved) {
            on_saved.run(on);
        }
    });
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
