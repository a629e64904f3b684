use super::permissions_picker::PermissionsPicker;
use super::role_users::AssignedUsers;
use crate::api::console_roles::{get_role, permission_choices, DeleteRole, UpdateRole};
use crate::components::{field_error, form_error, succeeded, ConfirmDialog, ErrorNote, TextField};
use crate::model::{ConsoleSession, RoleDetail};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use std::collections::BTreeSet;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    General,
    Permissions,
    Users,
}

/// A role's page: General (name, audience), Permissions, and Users (**Assigned Users**).
#[component]
pub fn RolePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let role = Resource::new(id, get_role);
    let created = use_query_map().with_untracked(|q| q.get("created").is_some());
    view! {
        <Show when=move || created>
            <p class="alert alert-success" role="status">"The role was created."</p>
        </Show>
        <Transition fallback=|| view! { <p class="loading">"Loading role…"</p> }>
            {move || role.get().map(|result| match result {
                Ok(detail) => view! { <RoleView detail /> }.into_any(),
                Err(e) => view! {
                    <p class="breadcrumb"><A href="/console/roles">"Roles"</A></p>
                    <ErrorNote error=e />
                }
                    .into_any(),
            })}
        </Transition>
    }
}

#[component]
fn RoleView(detail: RoleDetail) -> impl IntoView {
    let tab = RwSignal::new(Tab::General);
    let detail = RwSignal::new(detail);
    let summary = detail.get_untracked().summary;
    let tab_button = move |which: Tab, label: &'static str, panel: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                id=format!("tab-{panel}")
                aria-controls=panel
                aria-selected=move || if tab.get() == which { "true" } else { "false" }
                on:click=move |_| tab.set(which)
            >
                {label}
            </button>
        }
    };
    view! {
        <Title text=format!("{} · Roles · Console · Guise", summary.name) />
        <p class="breadcrumb"><A href="/console/roles">"Roles"</A>" / "{move || detail.with(|d| d.summary.name.clone())}</p>
        <div class="page-header">
            <h1>{move || detail.with(|d| d.summary.name.clone())}</h1>
            {summary.system.then(|| view! { <span class="tag">"System"</span> })}
        </div>
        <dl class="facts">
            <dt>"Audience"</dt><dd>{summary.audience_label()}</dd>
        </dl>
        <div class="tabs" role="tablist" aria-label="Role settings">
            {tab_button(Tab::General, "General", "panel-general")}
            {tab_button(Tab::Permissions, "Permissions", "panel-permissions")}
            {tab_button(Tab::Users, "Users", "panel-users")}
        </div>
        {move || match tab.get() {
            Tab::General => view! { <div role="tabpanel" id="panel-general" aria-labelledby="tab-panel-general"><GeneralTab detail /></div> }.into_any(),
            Tab::Permissions => view! { <div role="tabpanel" id="panel-permissions" aria-labelledby="tab-panel-permissions"><PermissionsTab detail /></div> }.into_any(),
            Tab::Users => view! { <div role="tabpanel" id="panel-users" aria-labelledby="tab-panel-users"><AssignedUsers detail /></div> }.into_any(),
        }}
    }
}

#[component]
fn GeneralTab(detail: RwSignal<RoleDetail>) -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let current = detail.get_untracked();
    let editable = !current.summary.system && session.as_ref().is_none_or(|s| s.roles.update);
    let deletable = !current.summary.system && session.as_ref().is_none_or(|s| s.roles.delete);
    let name = RwSignal::new(current.summary.name.clone());
    let update = ServerAction::<UpdateRole>::new();
    let delete = ServerAction::<DeleteRole>::new();
    let result = update.value();
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            detail.set(saved);
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/console/roles", Default::default());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = detail.get_untracked();
        update.dispatch(UpdateRole {
            id: d.summary.id.clone(),
            name: name.get_untracked(),
            permissions: d.permissions.iter().map(|p| p.scope.clone()).collect(),
        });
    };
    let role_name = current.summary.name.clone();
    view! {
        {move || form_error(result)().or_else(|| form_error(delete.value())()).map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card">
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <TextField label="Role Name" name="name" value=name error=field_error(result, "name") />
                {current.summary.system.then(|| view! { <p class="hint">"System roles are defined by Guise: their name and permissions are fixed."</p> })}
                <Show when=move || editable>
                    <div class="actions"><button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button></div>
                </Show>
            </form>
        </section>
        <Show when=move || deletable>
            <section class="card danger-zone">
                <h2>"Danger Zone"</h2>
                <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Delete Role"</button>
            </section>
        </Show>
        <ConfirmDialog
            open=confirming
            title="Delete this role?".into()
            message=format!("{role_name} will be removed, and its users lose its permissions at once.")
            confirm_label="Delete"
            on_confirm=move || { delete.dispatch(DeleteRole { id: detail.get_untracked().summary.id }); }
        />
    }
}

#[component]
fn PermissionsTab(detail: RwSignal<RoleDetail>) -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let current = detail.get_untracked();
    let editable = !current.summary.system && session.as_ref().is_none_or(|s| s.roles.update);
    let selected = RwSignal::new(
        current
            .permissions
            .iter()
            .map(|p| p.scope.clone())
            .collect::<BTreeSet<_>>(),
    );
    let update = ServerAction::<UpdateRole>::new();
    let result = update.value();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            detail.set(saved);
        }
    });
    let app = current.summary.application.as_ref().map(|a| a.id.clone());
    let catalog = Resource::new(move || app.clone(), permission_choices);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = detail.get_untracked();
        update.dispatch(UpdateRole {
            id: d.summary.id.clone(),
            name: d.summary.name.clone(),
            permissions: selected.get_untracked().into_iter().collect(),
        });
    };
    if !editable {
        return view! {
            <ul class="stack plain">
                {current.permissions.into_iter().map(|p| view! {
                    <li>{p.display_name}" "<code>{p.scope}</code>" "<span class="tag">{p.resource_name}</span></li>
                }).collect_view()}
            </ul>
        }
        .into_any();
    }
    view! {
        {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <form class="stack narrow" method="post" on:submit=on_submit novalidate>
            <Transition fallback=|| view! { <p class="loading">"Loading API resources…"</p> }>
                {move || catalog.get().map(|r| match r {
                    Ok(catalog) => view! { <PermissionsPicker catalog selected error=field_error(result, "permissions") /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })}
            </Transition>
            <div class="actions"><button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button></div>
        </form>
    }
    .into_any()
}
