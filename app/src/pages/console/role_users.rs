use crate::api::console_roles::SetRoleUsers;
use crate::api::console_users::list_users;
use crate::components::{field_error, form_error, succeeded, ConfirmDialog, ErrorNote};
use crate::model::{ConsoleSession, RoleDetail};
use leptos::prelude::*;

/// A role's Users tab: the **Assigned Users**, people added with **Assign Users** and removed per
/// row; nothing is stored until **Update**, which asks first when it would remove someone.
#[component]
pub fn AssignedUsers(detail: RwSignal<RoleDetail>) -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let editable = session.as_ref().is_none_or(|s| s.roles.update);
    let may_search_users = session.as_ref().is_none_or(|s| s.users.view);
    // (username, display name) of the people the role will have after Update.
    let assigned = RwSignal::new(members(&detail.get_untracked()));
    let adding = RwSignal::new(false);
    let username = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let update = ServerAction::<SetRoleUsers>::new();
    let result = update.value();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            assigned.set(members(&saved));
            detail.set(saved);
        }
    });
    let suggestions = Resource::new(
        move || username.get(),
        move |q| async move {
            if !may_search_users || q.trim().is_empty() {
                return Vec::new();
            }
            list_users(q, 1)
                .await
                .map(|p| p.items.into_iter().map(|u| u.username).collect())
                .unwrap_or_default()
        },
    );

    let add = move || {
        let name = username.get_untracked().trim().to_owned();
        if name.is_empty() {
            return;
        }
        assigned.update(|list| {
            if !list.iter().any(|(u, _)| u.eq_ignore_ascii_case(&name)) {
                list.push((name, String::from("To be assigned on Update")));
            }
        });
        username.set(String::new());
    };
    let save = move || {
        update.dispatch(SetRoleUsers {
            id: detail.get_untracked().summary.id,
            usernames: assigned
                .get_untracked()
                .into_iter()
                .map(|(u, _)| u)
                .collect(),
        });
    };
    let removes_someone = move || {
        let now: Vec<String> = assigned.with(|a| a.iter().map(|(u, _)| u.to_lowercase()).collect());
        detail.with(|d| {
            d.members
                .iter()
                .any(|m| !now.contains(&m.username.to_lowercase()))
        })
    };

    view! {
        {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card">
            <div class="page-header">
                <h2>"Assigned Users"</h2>
                <Show when=move || editable>
                    <button type="button" on:click=move |_| adding.set(true)>"Assign Users"</button>
                </Show>
            </div>
            <Show when=move || adding.get()>
                <div class="actions assign-row">
                    <div class="field" class:has-error=move || field_error(result, "assign").get().is_some()>
                        <label for="field-assign">"Username"</label>
                        <input
                            id="field-assign"
                            list="user-suggestions"
                            autocomplete="off"
                            aria-describedby="field-assign-error"
                            prop:value=move || username.get()
                            on:input=move |ev| username.set(event_target_value(&ev))
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" {
                                    ev.prevent_default();
                                    add();
                                }
                            }
                        />
                        <datalist id="user-suggestions">
                            <Transition>
                                {move || suggestions.get().map(|names| names.into_iter().map(|n| view! { <option value=n></option> }).collect_view())}
                            </Transition>
                        </datalist>
                    </div>
                    <button type="button" on:click=move |_| add()>"Add"</button>
                </div>
            </Show>
            <p class="field-error" id="field-assign-error">{field_error(result, "assign")}</p>
            <table class="list">
                <thead><tr><th scope="col">"Username"</th><th scope="col">"Name"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    <For each=move || assigned.get() key=|(u, _)| u.to_lowercase() let:((user, name))>
                        <tr>
                            <td>{user.clone()}</td>
                            <td>{name}</td>
                            <td>
                                <Show when=move || editable>
                                    <button
                                        type="button"
                                        aria-label=format!("Remove {user}")
                                        on:click={
                                            let user = user.clone();
                                            move |_| assigned.update(|a| a.retain(|(u, _)| u != &user))
                                        }
                                    >
                                        "Remove"
                                    </button>
                                </Show>
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <Show when=move || assigned.with(Vec::is_empty)>
                <p class="empty">"No one is assigned this role."</p>
            </Show>
            <Show when=move || editable>
                <div class="actions">
                    <button
                        type="button"
                        class="primary"
                        disabled=move || update.pending().get()
                        on:click=move |_| if removes_someone() { confirming.set(true) } else { save() }
                    >
                        "Update"
                    </button>
                </div>
            </Show>
        </section>
        <ConfirmDialog
            open=confirming
            title="Remove users from this role?".into()
            message="The users you removed lose this role's permissions at once.".into()
            confirm_label="Update"
            on_confirm=save
        />
    }
}

fn members(detail: &RoleDetail) -> Vec<(String, String)> {
    detail
        .members
        .iter()
        .map(|m| (m.username.clone(), m.display_name.clone()))
        .collect()
}
