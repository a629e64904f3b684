use crate::api::console_api_resources::list_api_resources;
use crate::components::{ErrorNote, Pager, SearchBox};
use crate::model::{ApiResource, ConsoleSession, Paged};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// API Resources: the system APIs Guise defines and the business APIs the organization registers;
/// search, page, and open one.
#[component]
pub fn ApiResourcesPage() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let resources = Resource::new(
        move || (search.get(), page.get()),
        |(q, p)| list_api_resources(q, p),
    );
    let can_create = use_context::<ConsoleSession>().is_none_or(|s| s.api_resources.create);
    view! {
        <Title text="API Resources · Console · Guise" />
        <div class="page-header">
            <h1>"API Resources"</h1>
            <Show when=move || can_create>
                <A href="/console/api-resources/new" attr:class="button primary">"New API Resource"</A>
            </Show>
        </div>
        <SearchBox
            label="Search API resources"
            id="api-resource-search"
            placeholder="Name or identifier contains…"
            search
            page
        />
        <Transition fallback=|| view! { <p class="loading">"Loading API resources…"</p> }>
            {move || {
                resources
                    .get()
                    .map(|result| match result {
                        Ok(found) => view! { <ApiResourcesTable found page /> }.into_any(),
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn ApiResourcesTable(found: Paged<ApiResource>, page: RwSignal<u32>) -> impl IntoView {
    let last = found.last_page();
    let current = found.page;
    let total = found.total;
    let empty = found.items.is_empty();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Identifier"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Scopes"</th>
                </tr>
            </thead>
            <tbody>
                {found
                    .items
                    .into_iter()
                    .map(|r| {
                        let href = format!("/console/api-resources/{}", r.id);
                        let kind = if r.system { "System" } else { "Business" };
                        view! {
                            <tr>
                                <td><A href=href>{r.name}</A></td>
                                <td>{r.identifier}</td>
                                <td><span class="tag">{kind}</span></td>
                                <td>{r.scopes.len()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <Show when=move || empty>
            <p class="empty">"No API resources match."</p>
        </Show>
        <Pager current last total noun="API resources" page />
    }
}
