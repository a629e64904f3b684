use crate::api::console_switch::switch_organization;
use crate::components::ErrorNote;
use leptos::prelude::*;

/// Shown on every Console page while it acts in an organization below the administrator's own:
/// which one, and **Switch back**.
#[component]
pub fn SwitchedBanner(organization: String, home_org_id: String) -> impl IntoView {
    let back = Action::new(move |_: &()| switch_organization(home_org_id.clone()));
    // Everything on screen belongs to the organization left: start the Console afresh.
    Effect::new(move |_| {
        if matches!(back.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/console");
        }
    });
    view! {
        <div class="switched-banner" role="status">
            <span>"You are managing the organization "<strong>{organization}</strong></span>
            <button type="button" on:click=move |_| { back.dispatch(()); }>"Switch back"</button>
            {move || back.value().get().and_then(Result::err).map(|e| view! { <ErrorNote error=e /> })}
        </div>
    }
}
