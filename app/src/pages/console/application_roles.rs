use crate::model::ApplicationDetail;
use leptos::prelude::*;

/// An application's Roles tab.
#[component]
pub fn ApplicationRolesTab(app: ApplicationDetail) -> impl IntoView {
    view! { <p class="loading">{format!("Loading the roles of {}…", app.summary.name)}</p> }
}
