use crate::api::console_applications::list_applications;
use crate::components::{ErrorNote, Pager, SearchBox};
use crate::model::{ApplicationSummary, ConsoleSession, Paged};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Applications: search the registered applications, page through them, and open one.
#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let apps = Resource::new(
        move || (search.get(), page.get()),
        |(q, p)| list_applications(q, p),
    );
    let can_create = use_context::<ConsoleSession>().is_none_or(|s| s.applications.create);
    view! {
        <Title text="Applications · Console · Guise" />
        <div class="page-header">
            <h1>"Applications"</h1>
            <Show when=move || can_create>
                <A href="/console/applications/new" attr:class="button primary">"New Application"</A>
            </Show>
        </div>
        <SearchBox
            label="Search applications"
            id="application-search"
            placeholder="Name contains…"
            search
            page
        />
        <Transition fallback=|| view! { <p class="loading">"Loading applications…"</p> }>
            {move || {
                apps.get()
                    .map(|result| match result {
                        Ok(found) => view! { <ApplicationsTable found page /> }.into_any(),
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// One page of applications, with the pager beneath.
#[component]
fn ApplicationsTable(found: Paged<ApplicationSummary>, page: RwSignal<u32>) -> impl IntoView {
    let last = found.last_page();
    let current = found.page;
    let total = found.total;
    let empty = found.items.is_empty();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Client ID"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Description"</th>
                </tr>
            </thead>
            <tbody>
                {found
                    .items
                    .into_iter()
                    .map(|app| {
                        let href = format!("/console/applications/{}", app.id);
                        let kind = if app.public_client { "Public" } else { "Confidential" };
                        view! {
                            <tr>
                                <td>
                                    <A href=href>{app.name}</A>
                                    {app.system.then(|| view! { " " <span class="tag">"System"</span> })}
                                </td>
                                <td><code>{app.client_id}</code></td>
                                <td>{kind}</td>
                                <td>{app.description}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <Show when=move || empty>
            <p class="empty">"No applications match."</p>
        </Show>
        <Pager current last total noun="applications" page />
    }
}
