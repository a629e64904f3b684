use super::application_tab_data::TabData;
use super::roles_list::RolesTable;
use crate::components::ErrorNote;
use crate::model::{ApplicationDetail, ConsoleSession};
use leptos::prelude::*;
use leptos_router::components::A;

/// An application's Roles tab. **Role Audience** chooses which roles apply here: those made for this
/// application, or the organization's roles (which apply to every application authorized for their
/// scopes). **New Role** creates a role of the chosen audience.
#[component]
pub fn ApplicationRolesTab(app: ApplicationDetail, data: TabData) -> impl IntoView {
    let can_create = use_context::<ConsoleSession>().is_none_or(|s| s.roles.create);
    let app_id = StoredValue::new(app.summary.id.clone());
    let application_audience = data.roles_for_application;
    let page = data.roles_page;
    let new_role_href = move || {
        if application_audience.get() {
            format!("/console/roles/new?application={}", app_id.get_value())
        } else {
            "/console/roles/new".to_owned()
        }
    };
    view! {
        <fieldset class="scopes">
            <legend>"Role Audience"</legend>
            <div class="field checkbox">
                <label>
                    <input type="radio" name="role-audience" prop:checked=move || application_audience.get()
                        on:change=move |_| { application_audience.set(true); page.set(1); } />
                    "Application"
                </label>
                <label>
                    <input type="radio" name="role-audience" prop:checked=move || !application_audience.get()
                        on:change=move |_| { application_audience.set(false); page.set(1); } />
                    "Organization"
                </label>
            </div>
            <p class="hint">
                {move || if application_audience.get() {
                    format!("Roles made for {} only.", app.summary.name)
                } else {
                    "Organization roles apply to every application authorized for their scopes.".to_owned()
                }}
            </p>
        </fieldset>
        <div class="page-header">
            <h2>"Roles"</h2>
            <Show when=move || can_create>
                <A href=new_role_href attr:class="button primary">"New Role"</A>
            </Show>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading roles…"</p> }>
            {move || data.roles.get().flatten().map(|result| match result {
                Ok(found) => view! { <RolesTable found page /> }.into_any(),
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
    }
}
