use crate::api::console_applications::UpdateApplicationConsent;
use crate::components::{form_error, succeeded, CheckboxField, ErrorNote};
use crate::model::{ApplicationDetail, ConsoleSession};
use crate::pages::console::application_page::SYSTEM_NOTE;
use leptos::prelude::*;

/// An application's Advanced tab: whether users see the consent screens when they sign in to and
/// out of it. A system application's are shown but cannot be changed here.
#[component]
pub fn AdvancedTab(
    app: ApplicationDetail,
    /// Told the stored application after each successful update.
    #[prop(optional, into)]
    on_saved: Option<Callback<ApplicationDetail>>,
) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.applications.update);
    let system = app.summary.system;
    let id = StoredValue::new(app.summary.id.clone());
    let skip_login = RwSignal::new(app.skip_login_consent);
    let skip_logout = RwSignal::new(app.skip_logout_consent);
    let update = ServerAction::<UpdateApplicationConsent>::new();
    let result = update.value();

    // Show what the server stored.
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            skip_login.set(saved.skip_login_consent);
            skip_logout.set(saved.skip_logout_consent);
            if let Some(on_saved) = on_saved {
                on_saved.run(saved);
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(UpdateApplicationConsent {
            id: id.get_value(),
            skip_login_consent: skip_login.get_untracked(),
            skip_logout_consent: skip_logout.get_untracked(),
        });
    };
    let problem = form_error(result);

    view! {
        {move || problem().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card">
            <h2>"Advanced"</h2>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                {system.then(|| view! { <p class="hint">{SYSTEM_NOTE}</p> })}
                <CheckboxField
                    label="Skip login consent"
                    name="skip_login_consent"
                    checked=skip_login
                    hint="The consent screen is not shown when users sign in to this application."
                    disabled=system
                />
                <CheckboxField
                    label="Skip logout consent"
                    name="skip_logout_consent"
                    checked=skip_logout
                    hint="The consent screen is not shown when users sign out of this application."
                    disabled=system
                />
                <Show when=move || can_update && !system>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                    </div>
                </Show>
            </form>
        </section>
    }
}
