use crate::api::console_organizations::CreateOrganization;
use crate::components::{field_error, form_error, ErrorNote, TextField};
use crate::model::Organization;
use crate::pages::console::organizations_list::in_tree_order;
use leptos::prelude::*;

/// What **New Organization** has typed so far. It lives with the page, not the form, so a reload
/// of the tree does not lose it.
#[derive(Clone, Copy)]
pub struct OrganizationDraft {
    pub open: RwSignal<bool>,
    name: RwSignal<String>,
    handle: RwSignal<String>,
    /// The parent's id; empty: the administrator's own organization.
    parent: RwSignal<String>,
    create: ServerAction<CreateOrganization>,
    /// Counts successful creations, so the tree reloads only when there is something new.
    pub created: RwSignal<u32>,
}

impl OrganizationDraft {
    pub fn new() -> Self {
        let draft = Self {
            open: RwSignal::new(false),
            name: RwSignal::new(String::new()),
            handle: RwSignal::new(String::new()),
            parent: RwSignal::new(String::new()),
            create: ServerAction::new(),
            created: RwSignal::new(0),
        };
        Effect::new(move |_| {
            if let Some(Ok(_)) = draft.create.value().get() {
                draft.name.set(String::new());
                draft.handle.set(String::new());
                // The next organization starts under the administrator's own again: a parent kept
                // from the last one would place it there silently.
                draft.parent.set(String::new());
                draft.open.set(false);
                draft.created.update(|n| *n += 1);
            }
        });
        draft
    }
}

impl OrganizationDraft {
    /// The latest Create succeeded and the form is closed: the tree shows the new organization.
    pub fn just_created(&self) -> bool {
        !self.open.get() && matches!(self.create.value().get(), Some(Ok(_)))
    }
}

impl Default for OrganizationDraft {
    fn default() -> Self {
        Self::new()
    }
}

/// **New Organization**: Name, Handle and Parent organization (the administrator's own unless
/// another is chosen).
#[component]
pub fn NewOrganizationForm(draft: OrganizationDraft, parents: Vec<Organization>) -> impl IntoView {
    let result = draft.create.value();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        draft.create.dispatch(CreateOrganization {
            name: draft.name.get_untracked(),
            handle: draft.handle.get_untracked(),
            parent: Some(draft.parent.get_untracked()).filter(|p| !p.is_empty()),
        });
    };
    let options = in_tree_order(parents)
        .into_iter()
        .map(|o| {
            let label = format!("{}{}", "— ".repeat(o.depth.max(0) as usize), o.name);
            let value = if o.is_own() {
                String::new()
            } else {
                o.id.clone()
            };
            view! { <option value=value>{label}</option> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="new-organization-title">
            <h2 id="new-organization-title">"New Organization"</h2>
            {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <TextField label="Name" name="name" value=draft.name error=field_error(result, "name") required=true />
                <TextField label="Handle" name="handle" value=draft.handle error=field_error(result, "handle") required=true />
                <div class="field">
                    <label for="field-parent">"Parent organization"</label>
                    <select
                        id="field-parent"
                        name="parent"
                        prop:value=move || draft.parent.get()
                        on:change=move |ev| draft.parent.set(event_target_value(&ev))
                    >
                        {options}
                    </select>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || draft.create.pending().get()>"Create"</button>
                    <button type="button" on:click=move |_| draft.open.set(false)>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}
