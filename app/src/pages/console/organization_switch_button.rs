use crate::api::console_switch::switch_organization;
use crate::components::ErrorNote;
use leptos::prelude::*;

/// **Switch**: opens the Console in that organization's context (a fresh load: everything on
/// screen belonged to the organization left).
#[component]
pub fn SwitchButton(org_id: String, name: String) -> impl IntoView {
    let switch = Action::new(move |_: &()| switch_organization(org_id.clone()));
    Effect::new(move |_| {
        if matches!(switch.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/console");
        }
    });
    view! {
        <button
            type="button"
            aria-label=format!("Switch to {name}")
            disabled=move || switch.pending().get()
            on:click=move |_| { switch.dispatch(()); }
        >
            "Switch"
        </button>
        {move || switch.value().get().and_then(Result::err).map(|e| view! { <ErrorNote error=e /> })}
    }
}
