use crate::api::console_organizations::{
    list_organizations, DeleteOrganization, RenameOrganization, SetOrganizationActive,
};
use crate::components::{field_error, form_error, succeeded, ConfirmDialog, ErrorNote, TextField};
use crate::model::{AppError, ConsoleSession, Organization};
use crate::pages::console::organization_invite::InviteParentUser;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// One organization below the administrator's: **Update** its name, **Deactivate**/**Activate**,
/// **Invite Parent User**, and **Delete** after confirmation (refused unless it is empty).
#[component]
pub fn OrganizationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    // The tree is what the engine lists; this page shows one of its organizations.
    let found = Resource::new(id, |id| async move {
        list_organizations()
            .await?
            .into_iter()
            .find(|o| o.id == id && !o.is_own())
            .ok_or_else(|| AppError::NotFound("organization".into()))
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading organization…"</p> }>
            {move || found.get().map(|result| match result {
                Ok(organization) => view! { <OrganizationView organization /> }.into_any(),
                Err(e) => view! {
                    <p class="breadcrumb"><A href="/console/organizations">"Organizations"</A></p>
                    <ErrorNote error=e />
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn OrganizationView(organization: Organization) -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let can_update = session.as_ref().is_none_or(|s| s.organizations.update);
    let can_delete = session.as_ref().is_none_or(|s| s.organizations.delete);
    let id = StoredValue::new(organization.id.clone());
    let handle = organization.handle.clone();
    let heading = RwSignal::new(organization.name.clone());
    let name = RwSignal::new(organization.name.clone());
    let active = RwSignal::new(organization.active);
    let rename = ServerAction::<RenameOrganization>::new();
    let switch = ServerAction::<SetOrganizationActive>::new();
    let delete = ServerAction::<DeleteOrganization>::new();
    let confirming = RwSignal::new(false);
    let renamed = rename.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = renamed.get() {
            heading.set(name.get_untracked().trim().to_owned());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(now_active)) = switch.value().get() {
            active.set(now_active);
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/console/organizations?deleted=1", Default::default());
        }
    });
    let on_rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        rename.dispatch(RenameOrganization {
            id: id.get_value(),
            name: name.get_untracked(),
        });
    };
    let rename_problem = form_error(renamed);
    let switch_problem = form_error(switch.value());
    let delete_problem = form_error(delete.value());
    let problem = move || {
        rename_problem()
            .or_else(&switch_problem)
            .or_else(&delete_problem)
            .map(|e| view! { <ErrorNote error=e /> })
    };
    let status = move || if active.get() { "Active" } else { "Inactive" };

    view! {
        <Title text=move || format!("{} · Organizations · Console · Guise", heading.get()) />
        <p class="breadcrumb"><A href="/console/organizations">"Organizations"</A>" / "{move || heading.get()}</p>
        <div class="page-header">
            <h1>{move || heading.get()}</h1>
            <span class="tag">{handle}</span>
        </div>
        {problem}
        <Show when=succeeded(renamed)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card">
            <h2>"General"</h2>
            <form class="stack narrow" method="post" on:submit=on_rename novalidate>
                <TextField label="Name" name="name" value=name error=field_error(renamed, "name") required=true />
                <Show when=move || can_update>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || rename.pending().get()>"Update"</button>
                    </div>
                </Show>
            </form>
        </section>
        <section class="card">
            <h2>"Status"</h2>
            <p>
                "This organization is "
                <span class=move || if active.get() { "status" } else { "status status-disabled" }>{status}</span>
                ". An inactive organization cannot be switched to or signed in to, and what was issued in it is revoked."
            </p>
            <Show when=move || can_update>
                <button
                    type="button"
                    disabled=move || switch.pending().get()
                    on:click=move |_| {
                        switch.dispatch(SetOrganizationActive { id: id.get_value(), active: !active.get_untracked() });
                    }
                >
                    {move || if active.get() { "Deactivate" } else { "Activate" }}
                </button>
            </Show>
        </section>
        <Show when=move || can_update>
            <InviteParentUser organization=id.get_value() />
        </Show>
        <Show when=move || can_delete>
            <section class="card danger-zone">
                <h2>"Danger Zone"</h2>
                <p>"Only an empty organization can be deleted. This cannot be undone."</p>
                <button
                    type="button"
                    class="danger"
                    disabled=move || delete.pending().get()
                    on:click=move |_| confirming.set(true)
                >
                    "Delete"
                </button>
            </section>
        </Show>
        <ConfirmDialog
            open=confirming
            title="Delete this organization?".to_string()
            message="The organization will be removed with its roles and sharing. This cannot be undone.".to_string()
            confirm_label="Delete"
            on_confirm=move || {
                delete.dispatch(DeleteOrganization { id: id.get_value() });
            }
        />
    }
}
