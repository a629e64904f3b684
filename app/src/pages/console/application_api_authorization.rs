use super::application_tab_data::TabData;
use crate::api::console_applications::AuthorizeApiResource;
use crate::components::{form_error, ConfirmDialog, ErrorNote};
use crate::model::{ApiResource, ApplicationDetail, Authorization, ConsoleSession};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// An application's API Authorization tab: the API resources it may request scopes of, with the
/// scopes chosen. **Authorize an API Resource** opens a dialog (**API Resource**, **Authorized
/// Scopes**, **Finish**); each row can be edited or removed.
#[component]
pub fn ApiAuthorizationTab(app: ApplicationDetail, data: TabData) -> impl IntoView {
    let editable = !app.summary.system
        && use_context::<ConsoleSession>().is_none_or(|s| s.applications.update);
    let app_id = StoredValue::new(app.summary.id.clone());
    let save = data.save_authorization;
    let result = save.value();
    let authorizations = move || data.authorizations.get().flatten();
    let catalog = move || data.catalog.get().flatten();
    // The dialog: `Some(None)` to add, `Some(Some(resource id))` to edit.
    let dialog = RwSignal::new(None::<Option<String>>);
    let removing = RwSignal::new(None::<Authorization>);
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = result.get() {
            dialog.set(None);
        }
    });
    let saved_note = move || {
        matches!(result.get(), Some(Ok(_)))
            .then(|| view! { <p class="alert alert-success" role="status">"Saved."</p> })
    };

    view! {
        {move || form_error(result)().filter(|_| dialog.get().is_none()).map(|e| view! { <ErrorNote error=e /> })}
        {saved_note}
        {app.summary.system.then(|| view! { <p class="hint">"The API authorization of system applications is fixed."</p> })}
        <div class="page-header">
            <h2>"Authorized API Resources"</h2>
            <Show when=move || editable>
                <button type="button" class="primary" on:click=move |_| dialog.set(Some(None))>"Authorize an API Resource"</button>
            </Show>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || authorizations().map(|r| match r {
                Ok(list) if list.is_empty() => view! { <p class="empty">"This application is not authorized for any API resource."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="list">
                        <thead><tr><th scope="col">"API Resource"</th><th scope="col">"Authorized Scopes"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|a| {
                                let edit_id = a.resource.id.clone();
                                let name = a.resource.name.clone();
                                let row = a.clone();
                                view! {
                                    <tr>
                                        <td>{a.resource.name.clone()}" "<span class="tag">{a.resource.identifier.clone()}</span></td>
                                        <td><ul class="chips">{a.scopes.iter().map(|s| view! { <li>{scope_label(&a.resource, s)}</li> }).collect_view()}</ul></td>
                                        <td>
                                            <Show when=move || editable>
                                                <div class="actions">
                                                    <button type="button" aria-label=format!("Edit {name}") on:click={
                                                        let edit_id = edit_id.clone();
                                                        move |_| dialog.set(Some(Some(edit_id.clone())))
                                                    }>"Edit"</button>
                                                    <button type="button" aria-label=format!("Remove {name}") on:click={
                                                        let row = row.clone();
                                                        move |_| { removing.set(Some(row.clone())); confirming.set(true); }
                                                    }>"Remove"</button>
                                                </div>
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
        {move || dialog.get().map(|editing| {
            let current = authorizations().and_then(Result::ok).unwrap_or_default();
            let resources = catalog().and_then(Result::ok).unwrap_or_default();
            view! { <AuthorizeDialog editing current resources save app_id=app_id.get_value() dialog /> }
        })}
        <ConfirmDialog
            open=confirming
            title="Remove this API authorization?".into()
            message="The application's tokens stop carrying these scopes, and the application's roles lose them.".into()
            confirm_label="Remove"
            on_confirm=move || {
                if let Some(a) = removing.get_untracked() {
                    save.dispatch(AuthorizeApiResource { id: app_id.get_value(), resource: a.resource.id, scopes: Vec::new() });
                }
            }
        />
    }
}

fn scope_label(resource: &ApiResource, scope: &str) -> String {
    resource
        .scopes
        .iter()
        .find(|s| s.name == scope)
        .map_or_else(|| scope.to_owned(), |s| s.display_name.clone())
}

#[component]
fn AuthorizeDialog(
    /// `None` to add a resource, or the id of the one being edited.
    editing: Option<String>,
    current: Vec<Authorization>,
    resources: Vec<ApiResource>,
    save: ServerAction<AuthorizeApiResource>,
    app_id: String,
    dialog: RwSignal<Option<Option<String>>>,
) -> impl IntoView {
    let taken: BTreeSet<String> = current.iter().map(|a| a.resource.id.clone()).collect();
    let choices: Vec<ApiResource> = resources
        .into_iter()
        .filter(|r| {
            editing
                .as_ref()
                .map_or(!taken.contains(&r.id), |id| id == &r.id)
        })
        .collect();
    let resource = RwSignal::new(editing.clone().unwrap_or_default());
    let chosen = RwSignal::new(
        current
            .iter()
            .find(|a| Some(&a.resource.id) == editing.as_ref())
            .map(|a| a.scopes.iter().cloned().collect::<BTreeSet<_>>())
            .unwrap_or_default(),
    );
    let choices = StoredValue::new(choices);
    let result = save.value();
    let field = move |name: &'static str| {
        Signal::derive(move || match result.get() {
            Some(Err(e)) => e.field(name),
            _ => None,
        })
    };
    let scopes_of_choice = move || {
        let id = resource.get();
        choices.with_value(|c| {
            c.iter()
                .find(|r| r.id == id)
                .map(|r| r.scopes.clone())
                .unwrap_or_default()
        })
    };
    let finish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(AuthorizeApiResource {
            id: app_id.clone(),
            resource: resource.get_untracked(),
            scopes: chosen.get_untracked().into_iter().collect(),
        });
    };
    let locked = editing.is_some();
    view! {
        <div class="dialog-backdrop" on:keydown=move |ev| if ev.key() == "Escape" { dialog.set(None) }>
            <form class="dialog stack" role="dialog" aria-modal="true" aria-labelledby="authorize-title" on:submit=finish novalidate>
                <h2 id="authorize-title">{if locked { "Edit API Authorization" } else { "Authorize an API Resource" }}</h2>
                {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
                <div class="field" class:has-error=move || field("resource").get().is_some()>
                    <label for="field-resource">"API Resource"</label>
                    <select id="field-resource" disabled=locked prop:value=move || resource.get() on:change=move |ev| { resource.set(event_target_value(&ev)); chosen.set(BTreeSet::new()); }>
                        <option value="">"Select an API resource…"</option>
                        {choices.with_value(|c| c.iter().map(|r| view! { <option value=r.id.clone()>{r.name.clone()}</option> }).collect_view())}
                    </select>
                    <p class="field-error">{field("resource")}</p>
                </div>
                <fieldset class="scopes">
                    <legend>"Authorized Scopes"</legend>
                    {move || {
                        let scopes = scopes_of_choice();
                        if scopes.is_empty() {
                            return view! { <p class="hint">"Select an API resource to see its scopes."</p> }.into_any();
                        }
                        scopes.into_iter().map(|s| {
                            let name = s.name.clone();
                            let toggle = s.name.clone();
                            view! {
                                <div class="field checkbox">
                                    <label>
                                        <input type="checkbox"
                                            prop:checked=move || chosen.with(|c| c.contains(&name))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|c| { if on { c.insert(toggle.clone()); } else { c.remove(&toggle); } });
                                            } />
                                        {s.display_name.clone()}" "<code>{s.name.clone()}</code>
                                    </label>
                                </div>
                            }
                        }).collect_view().into_any()
                    }}
                    <p class="field-error">{field("scopes")}</p>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || save.pending().get()>"Finish"</button>
                    <button type="button" on:click=move |_| dialog.set(None)>"Cancel"</button>
                </div>
            </form>
        </div>
    }
}
