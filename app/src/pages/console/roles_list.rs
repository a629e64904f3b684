use crate::api::console_roles::list_roles;
use crate::components::{ErrorNote, Pager, SearchBox};
use crate::model::{ConsoleSession, Paged, RoleAudienceFilter, RoleSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// User Management > Roles: every role with its audience; search, page, open, or add one.
#[component]
pub fn RolesPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let roles = Resource::new(
        move || (search.get(), page.get()),
        |(q, p)| list_roles(q, RoleAudienceFilter::All, p),
    );
    let can_create = use_context::<ConsoleSession>().is_none_or(|s| s.roles.create);
    view! {
        <Title text="Roles · Console · Guise" />
        <div class="page-header">
            <h1>"Roles"</h1>
            <Show when=move || can_create>
                <A href="/console/roles/new" attr:class="button primary">"New Role"</A>
            </Show>
        </div>
        <SearchBox label="Search roles" id="role-search" placeholder="Role name contains…" search page />
        <Transition fallback=|| view! { <p class="loading">"Loading roles…"</p> }>
            {move || roles.get().map(|result| match result {
                Ok(found) => view! { <RolesTable found page /> }.into_any(),
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
    }
}

/// A table of roles with their audience; shared with an application's Roles tab.
#[component]
pub fn RolesTable(found: Paged<RoleSummary>, page: RwSignal<u32>) -> impl IntoView {
    let (current, last, total) = (found.page, found.last_page(), found.total);
    let empty = found.items.is_empty();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Audience"</th>
                </tr>
            </thead>
            <tbody>
                {found.items.into_iter().map(|r| {
                    let href = format!("/console/roles/{}", r.id);
                    let audience = r.audience_label();
                    view! {
                        <tr>
                            <td>
                                <A href=href>{r.name.clone()}</A>
                                {r.system.then(|| view! { " " <span class="tag">"System"</span> })}
                            </td>
                            <td>{audience}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <Show when=move || empty>
            <p class="empty">"No roles match."</p>
        </Show>
        <Pager current last total noun="roles" page />
    }
}
