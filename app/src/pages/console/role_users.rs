use crate::api::console_roles::SetRoleUsers;
use crate::api::console_users::list_users;
use crate::components::{field_error, form_error, succeeded, ConfirmDialog, ErrorNote};
use crate::model::{ConsoleSession, RoleDetail};
use leptos::prelude::*;

/// A role's Users tab: the **Assigned Users**. People are found by typing the start of a username or
/// email address and picked from the list; **Update** stores every pick and removal at once, asking first
/// when it would remove someone.
#[component]
pub fn AssignedUsers(detail: RwSignal<RoleDetail>) -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let editable = session.as_ref().is_none_or(|s| s.roles.update);
    let may_search_users = session.as_ref().is_none_or(|s| s.users.view);
    // (username, name) of the people the role will have after Update.
    let assigned = RwSignal::new(members(&detail.get_untracked()));
    let query = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let update = ServerAction::<SetRoleUsers>::new();
    let result = update.value();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            assigned.set(members(&saved));
            detail.set(saved);
        }
    });
    // (username, name) of the users matching what is typed; empty without the right to list users.
    let found = Resource::new(
        move || query.get(),
        move |q| async move {
            if !may_search_users || q.trim().is_empty() {
                return Vec::new();
            }
            list_users(q, 1)
                .await
                .map(|p| {
                    p.items
                        .into_iter()
                        .map(|u| (u.username.clone(), u.display_name()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        },
    );

    let pick = move |username: String, name: String| {
        let username = username.trim().to_owned();
        if username.is_empty() {
            return;
        }
        assigned.update(|list| {
            if !list.iter().any(|(u, _)| u.eq_ignore_ascii_case(&username)) {
                list.push((username, name));
            }
        });
        query.set(String::new());
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
    let not_yet_assigned = move |username: &str| {
        assigned.with(|a| !a.iter().any(|(u, _)| u.eq_ignore_ascii_case(username)))
    };
    // Picked, not stored yet: the stored role does not have them.
    let not_yet_stored = move |username: &str| {
        detail.with(|d| {
            !d.members
                .iter()
                .any(|m| m.username.eq_ignore_ascii_case(username))
        })
    };

    view! {
        {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card" aria-labelledby="assigned-users-title">
            <h2 id="assigned-users-title">"Assigned Users"</h2>
            <Show when=move || editable>
                <div class="field" class:has-error=move || field_error(result, "assign").get().is_some()>
                    <label for="field-assign">"Find users to assign"</label>
                    <input
                        id="field-assign"
                        type="search"
                        autocomplete="off"
                        aria-describedby="field-assign-hint field-assign-error"
                        aria-controls="assign-choices"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            // Enter picks the exact username typed: the way in without the right
                            // to list users.
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                pick(query.get_untracked(), String::new());
                            }
                        }
                    />
                    <p class="hint" id="field-assign-hint">
                        "Type the start of a username or email address, then pick people from the list; Update saves them all."
                    </p>
                    <p class="field-error" id="field-assign-error">{field_error(result, "assign")}</p>
                </div>
                <ul class="choices" id="assign-choices" aria-label="Matching users">
                    <Transition>
                        {move || found.get().map(|users| {
                            let choices: Vec<_> = users
                                .into_iter()
                                .filter(|(u, _)| not_yet_assigned(u))
                                .collect();
                            if choices.is_empty() && !query.with(|q| q.trim().is_empty()) && may_search_users {
                                return view! { <li class="empty">"No other user matches."</li> }.into_any();
                            }
                            choices
                                .into_iter()
                                .map(|(username, name)| {
                                    let label = format!("Assign {username}");
                                    let (u, n) = (username.clone(), name.clone());
                                    view! {
                                        <li>
                                            <button type="button" class="choice" aria-label=label on:click=move |_| pick(u.clone(), n.clone())>
                                                <span class="choice-title">{username}</span>
                                                <span class="choice-detail">{name}</span>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        })}
                    </Transition>
                </ul>
            </Show>
            <table class="list">
                <thead><tr><th scope="col">"Username"</th><th scope="col">"Name"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    // Keyed by the name too: a row picked by its username alone shows the stored
                    // name once saved.
                    <For each=move || assigned.get() key=|(u, n)| (u.to_lowercase(), n.clone()) let:((user, name))>
                        <tr>
                            <td>{user.clone()}</td>
                            <td>
                                {name}
                                <Show when={
                                    let user = user.clone();
                                    move || not_yet_stored(&user)
                                }>
                                    " "<span class="status status-pending">"Not saved yet"</span>
                                </Show>
                            </td>
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
