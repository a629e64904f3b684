use crate::api::console_users::list_users;
use crate::components::{ErrorNote, Pager, SearchBox};
use crate::model::{ConsoleSession, UserPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// User Management > Users: search, page, and open a user.
#[component]
pub fn UsersPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let users = Resource::new(
        move || (search.get(), page.get()),
        |(q, p)| list_users(q, p),
    );
    let can_create = use_context::<ConsoleSession>().is_none_or(|s| s.users.create);
    view! {
        <Title text="Users · Console · Guise" />
        <div class="page-header">
            <h1>"Users"</h1>
            <Show when=move || can_create>
                <A href="/console/users/new" attr:class="button primary">"Add User"</A>
            </Show>
        </div>
        <SearchBox label="Search users" id="user-search" placeholder="Username or email starts with…" search page />
        <Transition fallback=|| view! { <p class="loading">"Loading users…"</p> }>
            {move || {
                users
                    .get()
                    .map(|result| match result {
                        Ok(found) => view! { <UsersTable found page /> }.into_any(),
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn UsersTable(found: UserPage, page: RwSignal<u32>) -> impl IntoView {
    let last = found.last_page();
    let current = found.page;
    let total = found.total;
    let empty = found.items.is_empty();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Username"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {found
                    .items
                    .into_iter()
                    .map(|u| {
                        let href = format!("/console/users/{}", u.id);
                        let name = u.display_name();
                        view! {
                            <tr>
                                <td><A href=href>{u.username.clone()}</A></td>
                                <td>{name}</td>
                                <td>{u.email.clone()}</td>
                                <td><span class=format!("status status-{}", u.status.label().to_lowercase())>{u.status.label()}</span></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <Show when=move || empty>
            <p class="empty">"No users match."</p>
        </Show>
        <Pager current last total noun="users" page />
    }
}
