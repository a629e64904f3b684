use crate::api::console_administrators::{
    console_roles, list_administrators, AddAdministrator, RemoveAdministrator,
};
use crate::components::{
    field_error, form_error, ConfirmDialog, ErrorNote, Pager, SearchBox, TextField,
};
use crate::model::{Administrator, ConsoleRole, ConsoleSession};
use leptos::prelude::*;
use leptos_meta::Title;

/// Console Settings: who administers the Console. One tab, Administrators, lists them; they can be
/// added (by username, with a Console role) and removed after confirmation.
#[component]
pub fn ConsoleSettingsPage() -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let can_create = session.as_ref().is_none_or(|s| s.administrators.create);
    let can_delete = session.as_ref().is_none_or(|s| s.administrators.delete);
    let add = ServerAction::<AddAdministrator>::new();
    let remove = ServerAction::<RemoveAdministrator>::new();
    let admins = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| list_administrators(),
    );
    let notice = RwSignal::new(None::<&'static str>);
    let adding = RwSignal::new(false);
    let add_button = NodeRef::<leptos::html::Button>::new();
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);

    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            adding.set(false);
            notice.set(Some("The administrator was added."));
            if let Some(button) = add_button.get_untracked() {
                let _ = button.focus();
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            notice.set(Some("The administrator was removed."));
        }
    });
    let remove_error = form_error(remove.value());

    view! {
        <Title text="Console Settings · Console · Guise" />
        <h1>"Console Settings"</h1>
        <div class="tabs" role="tablist" aria-label="Console Settings">
            <button type="button" role="tab" id="tab-administrators" aria-selected="true" aria-controls="panel-administrators">
                "Administrators"
            </button>
        </div>
        <div role="tabpanel" id="panel-administrators" aria-labelledby="tab-administrators">
            {move || notice.get().map(|text| view! { <p class="alert alert-success" role="status">{text}</p> })}
            {move || remove_error().map(|e| view! { <ErrorNote error=e /> })}
            <Show when=move || can_create>
                <div class="actions">
                    <button
                        type="button"
                        class="primary"
                        node_ref=add_button
                        on:click=move |_| {
                            add.value().set(None);
                            remove.value().set(None);
                            notice.set(None);
                            adding.set(true);
                        }
                    >
                        "Add Administrators"
                    </button>
                </div>
            </Show>
            <SearchBox label="Search administrators" id="admin-search" placeholder="Username or name contains…" search page />
            <Transition fallback=|| view! { <p class="loading">"Loading administrators…"</p> }>
                {move || {
                    admins
                        .get()
                        .map(|result| match result {
                            Ok(all) => {
                                let (shown, current, last, total) = page_of(all, &search.get(), page.get());
                                view! {
                                    <AdministratorsTable all=shown can_delete remove notice />
                                    <Pager current last total noun="administrators" page />
                                }
                                .into_any()
                            }
                            Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </div>
        <Show when=move || adding.get()>
            <AddDialog add adding add_button />
        </Show>
    }
}

/// The administrators matching `search`, one page of them, and where that page is.
fn page_of(
    all: Vec<Administrator>,
    search: &str,
    page: u32,
) -> (Vec<Administrator>, u32, u32, i64) {
    const PAGE_SIZE: usize = 20;
    let needle = search.trim().to_lowercase();
    let matching: Vec<Administrator> = all
        .into_iter()
        .filter(|a| {
            a.member.username.to_lowercase().contains(&needle)
                || a.member.display_name.to_lowercase().contains(&needle)
        })
        .collect();
    let total = matching.len();
    let last = total.div_ceil(PAGE_SIZE).max(1);
    let current = usize::try_from(page).unwrap_or(1).clamp(1, last);
    let shown = matching
        .into_iter()
        .skip((current - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (
        shown,
        to_u32(current),
        to_u32(last),
        i64::try_from(total).unwrap_or(i64::MAX),
    )
}

#[component]
fn AdministratorsTable(
    all: Vec<Administrator>,
    can_delete: bool,
    remove: ServerAction<RemoveAdministrator>,
    notice: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let rows = all
        .into_iter()
        .map(|admin| {
            let member = admin.member;
            let confirming = RwSignal::new(false);
            let user_id = StoredValue::new(member.user_id);
            let username = member.username;
            view! {
                <tr>
                    <td>{username.clone()}</td>
                    <td>{member.display_name}</td>
                    <td>{admin.roles.join(", ")}</td>
                    {can_delete.then(|| view! {
                        <td>
                            <button type="button" aria-label=format!("Remove {username}") on:click=move |_| confirming.set(true)>
                                "Remove"
                            </button>
                            <ConfirmDialog
                                open=confirming
                                title="Remove this administrator?".to_owned()
                                message=format!("{username} will no longer be able to use the Console.")
                                confirm_label="Remove"
                                on_confirm=move || {
                                    notice.set(None);
                                    remove.dispatch(RemoveAdministrator { user_id: user_id.get_value() });
                                }
                            />
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Username"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Roles"</th>
                    {can_delete.then(|| view! { <th scope="col">"Actions"</th> })}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The Add Administrators dialog: a username and one of the Console roles.
#[component]
fn AddDialog(
    add: ServerAction<AddAdministrator>,
    adding: RwSignal<bool>,
    add_button: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    let roles = Resource::new(|| (), |_| console_roles());
    let username = RwSignal::new(String::new());
    let select = NodeRef::<leptos::html::Select>::new();
    let result = add.value();
    let role_error = field_error(result, "role");
    let other_error = form_error(result);
    let dialog = NodeRef::<leptos::html::Div>::new();

    // Focus starts on the Username field.
    Effect::new(move |_| {
        if let Some(input) = dialog
            .get()
            .and_then(|d| d.query_selector("#field-username").ok().flatten())
        {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(input) = input.dyn_into::<leptos::web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        }
    });
    let close = move || {
        adding.set(false);
        if let Some(button) = add_button.get_untracked() {
            let _ = button.focus();
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(AddAdministrator {
            username: username.get_untracked(),
            role: select
                .get_untracked()
                .map(|s| s.value())
                .unwrap_or_default(),
        });
    };

    view! {
        <div
            class="dialog-backdrop"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    close();
                }
            }
        >
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="add-admin-title" node_ref=dialog>
                <h2 id="add-admin-title">"Add Administrators"</h2>
                {move || other_error().map(|e| view! { <ErrorNote error=e /> })}
                <form class="stack" method="post" on:submit=on_submit novalidate>
                    <TextField label="Username" name="username" value=username error=field_error(result, "username") required=true />
                    <div class="field" class:has-error=move || role_error.get().is_some()>
                        <label for="field-role">"Role"</label>
                        <Transition fallback=|| view! { <p class="loading">"Loading roles…"</p> }>
                            {move || {
                                roles
                                    .get()
                                    .map(|result| match result {
                                        Ok(all) => view! { <RoleSelect all select /> }.into_any(),
                                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                                    })
                            }}
                        </Transition>
                        <p class="field-error" id="field-role-error">{move || role_error.get()}</p>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || add.pending().get()>"Add"</button>
                        <button type="button" on:click=move |_| close()>"Cancel"</button>
                    </div>
                </form>
            </div>
        </div>
    }
}

#[component]
fn RoleSelect(all: Vec<ConsoleRole>, select: NodeRef<leptos::html::Select>) -> impl IntoView {
    // The first role (Administrator) is selected until another is picked.
    view! {
        <select id="field-role" name="role" aria-describedby="field-role-error" node_ref=select>
            {all
                .into_iter()
                .enumerate()
                .map(|(i, r)| view! { <option value=r.id selected=i == 0>{r.name}</option> })
                .collect_view()}
        </select>
    }
}
