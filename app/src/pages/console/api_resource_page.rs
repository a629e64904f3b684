use super::api_scopes_editor::{replace_rows, scope_rows, scopes_of, ScopesEditor};
use crate::api::console_api_resources::{get_api_resource, DeleteApiResource, UpdateApiResource};
use crate::components::{field_error, form_error, succeeded, ConfirmDialog, ErrorNote, TextField};
use crate::model::{ApiResource, ApiResourceForm, ConsoleSession};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// An API resource's page: a system resource is shown read-only; a business resource can have its
/// name, description and scopes edited, or be deleted after confirmation.
#[component]
pub fn ApiResourcePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let resource = Resource::new(id, get_api_resource);
    let created = use_query_map().with_untracked(|q| q.get("created").is_some());

    view! {
        <Show when=move || created>
            <p class="alert alert-success" role="status">"The API resource was registered."</p>
        </Show>
        <Transition fallback=|| view! { <p class="loading">"Loading API resource…"</p> }>
            {move || {
                resource
                    .get()
                    .map(|result| match result {
                        Ok(found) => view! { <ApiResourceView found /> }.into_any(),
                        Err(e) => {
                            view! {
                                <Breadcrumb name="API Resource".to_owned() />
                                <ErrorNote error=e />
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn Breadcrumb(#[prop(into)] name: Signal<String>) -> impl IntoView {
    view! { <p class="breadcrumb"><A href="/console/api-resources">"API Resources"</A>" / "{move || name.get()}</p> }
}

#[component]
fn ApiResourceView(found: ApiResource) -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let can_update = session.as_ref().is_none_or(|s| s.api_resources.update);
    let can_delete = session.as_ref().is_none_or(|s| s.api_resources.delete);
    let editable = !found.system && can_update;
    let deletable = !found.system && can_delete;
    // The heading follows the saved name.
    let title = RwSignal::new(found.name.clone());
    let id = StoredValue::new(found.id.clone());
    let delete = ServerAction::<DeleteApiResource>::new();
    let confirming = RwSignal::new(false);

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/console/api-resources", Default::default());
        }
    });
    let delete_error = form_error(delete.value());

    view! {
        <Title text=move || format!("{} · API Resources · Console · Guise", title.get()) />
        <Breadcrumb name=title />
        <div class="page-header">
            <h1>{move || title.get()}</h1>
            <span class="tag">{if found.system { "System" } else { "Business" }}</span>
        </div>
        <dl class="facts">
            <dt>"Identifier"</dt><dd>{found.identifier.clone()}</dd>
        </dl>
        {move || delete_error().map(|e| view! { <ErrorNote error=e /> })}
        {if editable {
            view! { <EditForm found=found.clone() title /> }.into_any()
        } else {
            view! { <ReadOnly found=found.clone() /> }.into_any()
        }}
        <Show when=move || deletable>
            <section class="card danger-zone">
                <h2>"Danger Zone"</h2>
                <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Delete API Resource"</button>
            </section>
        </Show>
        <ConfirmDialog
            open=confirming
            title="Delete this API resource?".to_owned()
            message=format!(
                "{} will be deleted. Roles and applications that use it lose its scopes. This cannot be undone.",
                found.name,
            )
            confirm_label="Delete"
            on_confirm=move || {
                delete.dispatch(DeleteApiResource { id: id.get_value() });
            }
        />
    }
}

/// A system resource, or any resource the administrator may not edit.
#[component]
fn ReadOnly(found: ApiResource) -> impl IntoView {
    let empty = found.scopes.is_empty();
    view! {
        {found.system.then(|| view! {
            <p class="hint">"System API resources are defined by Guise and cannot be changed."</p>
        })}
        <section class="card">
            <h2>"Details"</h2>
            <dl class="facts">
                <dt>"Name"</dt><dd>{found.name}</dd>
                <dt>"Description"</dt><dd>{found.description}</dd>
            </dl>
        </section>
        <section class="card">
            <h2>"Scopes"</h2>
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">"Scope"</th>
                        <th scope="col">"Display name"</th>
                        <th scope="col">"Description"</th>
                    </tr>
                </thead>
                <tbody>
                    {found
                        .scopes
                        .into_iter()
                        .map(|s| view! { <tr><td>{s.name}</td><td>{s.display_name}</td><td>{s.description}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
            <Show when=move || empty>
                <p class="empty">"This API resource has no scopes."</p>
            </Show>
        </section>
    }
}

/// A business resource: name, description and scopes; the identifier is fixed once registered.
#[component]
fn EditForm(found: ApiResource, title: RwSignal<String>) -> impl IntoView {
    let id = StoredValue::new(found.id.clone());
    let identifier = StoredValue::new(found.identifier.clone());
    let name = RwSignal::new(found.name.clone());
    let description = RwSignal::new(found.description.clone());
    let rows = RwSignal::new(scope_rows(&found.scopes));
    let update = ServerAction::<UpdateApiResource>::new();
    let result = update.value();

    // Shows what was stored (the server fills in missing display names).
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            title.set(saved.name.clone());
            name.set(saved.name);
            description.set(saved.description);
            replace_rows(rows, &saved.scopes);
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(UpdateApiResource {
            id: id.get_value(),
            form: ApiResourceForm {
                identifier: identifier.get_value(),
                name: name.get_untracked(),
                description: description.get_untracked(),
                scopes: scopes_of(rows),
            },
        });
    };
    let other_error = form_error(result);
    let saved = succeeded(result);

    view! {
        {move || other_error().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=saved>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card">
            <h2>"Details"</h2>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <TextField label="Name" name="name" value=name error=field_error(result, "name") required=true />
                <TextField label="Description" name="description" value=description error=field_error(result, "description") />
                <ScopesEditor rows error=field_error(result, "scopes") />
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                </div>
            </form>
        </section>
    }
}
