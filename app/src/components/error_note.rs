use crate::model::AppError;
use leptos::prelude::*;

/// A page- or form-level error. Field errors are shown next to their fields instead.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }
}
