use super::api_scopes_editor::{scopes_of, ScopeRow, ScopesEditor};
use crate::api::console_api_resources::CreateApiResource;
use crate::components::{field_error, form_error, ErrorNote, TextField};
use crate::model::ApiResourceForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// New API Resource: registers a business API with its identifier, name, description and scopes.
/// The server checks every field; each problem shows next to its field.
#[component]
pub fn NewApiResourcePage() -> impl IntoView {
    let identifier = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<ScopeRow>::new());
    let create = ServerAction::<CreateApiResource>::new();
    let result = create.value();

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(created)) = result.get() {
            navigate(
                &format!("/console/api-resources/{}?created=1", created.id),
                Default::default(),
            );
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateApiResource {
            form: ApiResourceForm {
                identifier: identifier.get_untracked(),
                name: name.get_untracked(),
                description: description.get_untracked(),
                scopes: scopes_of(rows),
            },
        });
    };
    let other_error = form_error(result);

    view! {
        <Title text="New API Resource · Console · Guise" />
        <p class="breadcrumb"><A href="/console/api-resources">"API Resources"</A>" / New API Resource"</p>
        <h1>"New API Resource"</h1>
        {move || other_error().map(|e| view! { <ErrorNote error=e /> })}
        <form class="stack narrow" method="post" on:submit=on_submit novalidate>
            <TextField
                label="Identifier"
                name="identifier"
                value=identifier
                error=field_error(result, "identifier")
                required=true
            />
            <p class="hint">"A unique URI for the API, such as https://api.example.com. It cannot be changed later."</p>
            <TextField label="Name" name="name" value=name error=field_error(result, "name") required=true />
            <TextField label="Description" name="description" value=description error=field_error(result, "description") />
            <ScopesEditor rows error=field_error(result, "scopes") />
            <div class="actions">
                <button type="submit" class="primary" disabled=move || create.pending().get()>"Create"</button>
                <A href="/console/api-resources">"Cancel"</A>
            </div>
        </form>
    }
}
