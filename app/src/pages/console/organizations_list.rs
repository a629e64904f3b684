use crate::api::console_organizations::list_organizations;
use crate::components::ErrorNote;
use crate::model::{ConsoleSession, Organization};
use crate::pages::console::organization_new::{NewOrganizationForm, OrganizationDraft};
use crate::pages::console::organization_switch_button::SwitchButton;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Organization Management > Organizations: the administrator's organization and every one below
/// it as a tree, and **New Organization**.
#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let can_create = use_context::<ConsoleSession>().is_none_or(|s| s.organizations.create);
    let draft = OrganizationDraft::new();
    let organizations = Resource::new(move || draft.created.get(), |_| list_organizations());
    let query = use_query_map();
    let deleted = move || query.with(|q| q.get("deleted").is_some());
    let created = move || draft.just_created();
    view! {
        <Title text="Organizations · Console · Guise" />
        <div class="page-header">
            <h1>"Organizations"</h1>
            <Show when=move || can_create && !draft.open.get()>
                <button type="button" class="primary" on:click=move |_| draft.open.set(true)>"New Organization"</button>
            </Show>
        </div>
        <Show when=created>
            <p class="alert alert-success" role="status">"The organization was created."</p>
        </Show>
        <Show when=deleted>
            <p class="alert alert-success" role="status">"The organization was deleted."</p>
        </Show>
        <Transition fallback=|| view! { <p class="loading">"Loading organizations…"</p> }>
            {move || organizations.get().map(|result| match result {
                Ok(list) => {
                    let parents = StoredValue::new(list.clone());
                    view! {
                    <Show when=move || draft.open.get()>
                        <NewOrganizationForm draft parents=parents.get_value() />
                    </Show>
                    <OrganizationTree list />
                }.into_any()
                }
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
    }
}

/// The tree as a table, each organization indented below its parent (the list comes parents
/// first, each child right after the organizations above it).
#[component]
fn OrganizationTree(list: Vec<Organization>) -> impl IntoView {
    view! {
        <table class="list organization-tree">
            <thead>
                <tr>
                    <th scope="col">"Organization"</th>
                    <th scope="col">"Handle"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col"><span class="visually-hidden">"Switch"</span></th>
                </tr>
            </thead>
            <tbody>
                {in_tree_order(list).into_iter().map(|o| {
                    // Indented by class: the content security policy allows no inline styles.
                    let indent = format!("tree-depth-{}", o.depth.clamp(0, 6));
                    let status_class = if o.active { "status" } else { "status status-disabled" };
                    let status = o.status_label();
                    let switch = (!o.is_own() && o.active).then(|| {
                        view! { <SwitchButton org_id=o.id.clone() name=o.name.clone() /> }
                    });
                    let name = if o.is_own() {
                        view! { {o.name.clone()}" "<span class="tag">"Your organization"</span> }.into_any()
                    } else {
                        view! { <A href=format!("/console/organizations/{}", o.id)>{o.name.clone()}</A> }.into_any()
                    };
                    view! {
                        <tr data-depth=o.depth>
                            <td class=indent>{name}</td>
                            <td>{o.handle.clone()}</td>
                            <td><span class=status_class>{status}</span></td>
                            <td>{switch}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Orders the list depth-first, so every organization sits right under its parent.
pub fn in_tree_order(list: Vec<Organization>) -> Vec<Organization> {
    fn visit(parent: Option<&str>, all: &[Organization], out: &mut Vec<Organization>) {
        for o in all.iter().filter(|o| o.parent_id.as_deref() == parent) {
            out.push(o.clone());
            visit(Some(&o.id), all, out);
        }
    }
    // The roots here are those whose parent is not listed (the administrator's own organization).
    let roots: Vec<Organization> = list
        .iter()
        .filter(|o| !list.iter().any(|p| Some(&p.id) == o.parent_id.as_ref()))
        .cloned()
        .collect();
    let mut out = Vec::with_capacity(list.len());
    for root in roots {
        out.push(root.clone());
        visit(Some(&root.id), &list, &mut out);
    }
    out
}
