use crate::model::ApplicationDetail;
use leptos::prelude::*;

/// An application's API Authorization tab.
#[component]
pub fn ApiAuthorizationTab(app: ApplicationDetail) -> impl IntoView {
    view! { <p class="loading">{format!("Loading the API authorization of {}…", app.summary.name)}</p> }
}
