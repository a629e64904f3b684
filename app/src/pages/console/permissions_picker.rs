use crate::model::ApiResource;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// Chooses a role's permissions: pick an **API Resource**, then tick its scopes. The checkbox named
/// after the resource selects all its scopes at once.
#[component]
pub fn PermissionsPicker(
    /// The resources whose scopes may be chosen.
    catalog: Vec<ApiResource>,
    /// The chosen scope names.
    selected: RwSignal<BTreeSet<String>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    // Resources shown: those picked, and those with a scope already chosen.
    let initially: Vec<String> = catalog
        .iter()
        .filter(|r| {
            selected.with_untracked(|s| r.scopes.iter().any(|scope| s.contains(&scope.name)))
        })
        .map(|r| r.id.clone())
        .collect();
    let shown = RwSignal::new(initially);
    let catalog = StoredValue::new(catalog);
    let choice = RwSignal::new(String::new());
    let empty = catalog.with_value(Vec::is_empty);

    let options = move || {
        catalog.with_value(|all| {
            all.iter()
                .filter(|r| !shown.with(|s| s.contains(&r.id)))
                .map(|r| view! { <option value=r.id.clone()>{r.name.clone()}</option> })
                .collect_view()
        })
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if !id.is_empty() {
            shown.update(|s| s.push(id));
        }
        choice.set(String::new());
    };
    let panels = move || {
        let ids = shown.get();
        catalog.with_value(|all| {
            ids.iter()
                .filter_map(|id| all.iter().find(|r| &r.id == id).cloned())
                .map(|resource| view! { <ResourceScopes resource selected shown /> })
                .collect_view()
        })
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for="field-api-resource">"API Resource"</label>
            {empty.then(|| view! { <p class="hint">"No API resource is available for this audience: authorize the application for one first."</p> })}
            <select id="field-api-resource" prop:value=move || choice.get() on:change=on_pick aria-describedby="field-permissions-error">
                <option value="">"Select an API resource…"</option>
                {options}
            </select>
            <p class="field-error" id="field-permissions-error">{move || error.get()}</p>
        </div>
        {panels}
    }
}

#[component]
fn ResourceScopes(
    resource: ApiResource,
    selected: RwSignal<BTreeSet<String>>,
    shown: RwSignal<Vec<String>>,
) -> impl IntoView {
    let names: Vec<String> = resource.scopes.iter().map(|s| s.name.clone()).collect();
    let all_names = StoredValue::new(names);
    let all_checked = move || {
        all_names.with_value(|names| {
            !names.is_empty() && selected.with(|s| names.iter().all(|n| s.contains(n)))
        })
    };
    let toggle_all = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        all_names.with_value(|names| {
            selected.update(|s| {
                for n in names {
                    if on {
                        s.insert(n.clone());
                    } else {
                        s.remove(n);
                    }
                }
            })
        });
    };
    let resource_id = resource.id.clone();
    let remove = move |_| {
        all_names.with_value(|names| {
            selected.update(|s| {
                names.iter().for_each(|n| {
                    s.remove(n);
                })
            })
        });
        shown.update(|s| s.retain(|id| id != &resource_id));
    };
    let all_id = format!("resource-{}", resource.id);
    view! {
        <fieldset class="scopes">
            <legend>{resource.name.clone()}" "<span class="tag">{resource.identifier.clone()}</span></legend>
            <div class="field checkbox">
                <label>
                    <input id=all_id type="checkbox" prop:checked=all_checked on:change=toggle_all />
                    {resource.name.clone()}
                </label>
            </div>
            <ul class="plain">
                {resource
                    .scopes
                    .into_iter()
                    .map(|scope| {
                        let name = scope.name.clone();
                        let name_for_toggle = scope.name.clone();
                        let id = format!("scope-{}", scope.name);
                        view! {
                            <li class="field checkbox">
                                <label>
                                    <input
                                        id=id
                                        type="checkbox"
                                        prop:checked=move || selected.with(|s| s.contains(&name))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.update(|s| {
                                                if on {
                                                    s.insert(name_for_toggle.clone());
                                                } else {
                                                    s.remove(&name_for_toggle);
                                                }
                                            });
                                        }
                                    />
                                    {scope.display_name.clone()}
                                    " "
                                    <code>{scope.name.clone()}</code>
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <button type="button" class="button-link" on:click=remove>{format!("Remove {}", resource.name)}</button>
        </fieldset>
    }
}
