use crate::api::console_applications::{DeleteApplication, UpdateApplicationGeneral};
use crate::components::{
    field_error, form_error, succeeded, CheckboxField, ConfirmDialog, ErrorNote, TextField,
};
use crate::model::{ApplicationDetail, ConsoleSession, GeneralForm};
use crate::pages::console::application_my_account::MyAccountSwitch;
use crate::pages::console::application_page::{LockedField, SYSTEM_NOTE};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// An application's General tab: name, description, access URL and whether My Account lists it;
/// and, for those who may, deleting the application after confirmation. A system application's
/// settings are shown but cannot be changed here; My Account's page also switches it on and off.
#[component]
pub fn GeneralTab(
    app: ApplicationDetail,
    /// Told the stored application after each successful update.
    #[prop(optional, into)]
    on_saved: Option<Callback<ApplicationDetail>>,
) -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let can_update = session.as_ref().is_none_or(|s| s.applications.update);
    let system = app.summary.system;
    let my_account = app.summary.my_account;
    let can_delete = !system && session.as_ref().is_none_or(|s| s.applications.delete);
    let id = StoredValue::new(app.summary.id.clone());
    let name = RwSignal::new(app.summary.name.clone());
    let description = RwSignal::new(app.summary.description.clone());
    let access_url = RwSignal::new(app.access_url.clone());
    let discoverable = RwSignal::new(app.discoverable);
    let update = ServerAction::<UpdateApplicationGeneral>::new();
    let delete = ServerAction::<DeleteApplication>::new();
    let result = update.value();
    let confirming = RwSignal::new(false);

    // Show what the server stored (it trims and normalizes).
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            name.set(saved.summary.name.clone());
            description.set(saved.summary.description.clone());
            access_url.set(saved.access_url.clone());
            discoverable.set(saved.discoverable);
            if let Some(on_saved) = on_saved {
                on_saved.run(saved);
            }
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/console/applications", Default::default());
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(UpdateApplicationGeneral {
            id: id.get_value(),
            form: GeneralForm {
                name: name.get_untracked(),
                description: description.get_untracked(),
                access_url: access_url.get_untracked(),
                discoverable: discoverable.get_untracked(),
            },
        });
    };
    let update_problem = form_error(result);
    let delete_problem = form_error(delete.value());
    let problem = move || {
        update_problem()
            .or_else(&delete_problem)
            .map(|e| view! { <ErrorNote error=e /> })
    };

    view! {
        {problem}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        {my_account
            .then(|| {
                let stored = StoredValue::new(app.clone());
                let on_switched = move |enabled: bool| {
                    if let Some(on_saved) = on_saved {
                        let mut detail = stored.get_value();
                        detail.enabled = enabled;
                        on_saved.run(detail);
                    }
                };
                view! { <MyAccountSwitch enabled=app.enabled on_saved=on_switched /> }
            })}
        <section class="card">
            <h2>"General"</h2>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                {if system {
                    view! {
                        <p class="hint">{SYSTEM_NOTE}</p>
                        <LockedField label="Name" name="name" value=app.summary.name.clone() />
                        <LockedField label="Description" name="description" value=app.summary.description.clone() />
                        <LockedField label="Access URL" name="access_url" value=app.access_url.clone() />
                    }
                        .into_any()
                } else {
                    view! {
                        <TextField label="Name" name="name" value=name error=field_error(result, "name") required=true />
                        <TextField label="Description" name="description" value=description error=field_error(result, "description") />
                        <TextField label="Access URL" name="access_url" kind="url" value=access_url error=field_error(result, "access_url") />
                    }
                        .into_any()
                }}
                <CheckboxField
                    label="Discoverable application"
                    name="discoverable"
                    checked=discoverable
                    hint="Shown in My Account to the users who may use it. Needs an access URL."
                    error=field_error(result, "discoverable")
                    disabled=system
                />
                <Show when=move || can_update && !system>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                    </div>
                </Show>
            </form>
        </section>
        <Show when=move || can_delete>
            <section class="card danger-zone">
                <h2>"Danger Zone"</h2>
                <p>"Deleting an application cannot be undone."</p>
                <button
                    type="button"
                    class="danger"
                    disabled=move || delete.pending().get()
                    on:click=move |_| confirming.set(true)
                >
                    "Delete Application"
                </button>
            </section>
        </Show>
        <ConfirmDialog
            open=confirming
            title="Delete this application?".to_string()
            message="The application will be removed with its tokens, roles and API authorizations. Users will no longer be able to sign in to it. This cannot be undone.".to_string()
            confirm_label="Delete"
            on_confirm=move || {
                delete.dispatch(DeleteApplication { id: id.get_value() });
            }
        />
    }
}
