use leptos::prelude::*;

/// Previous / Next under a list, with where we are.
#[component]
pub fn Pager(
    current: u32,
    last: u32,
    total: i64,
    /// Plural noun for the count ("roles").
    noun: &'static str,
    page: RwSignal<u32>,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Pages">
            <button type="button" disabled={current <= 1} on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                "Previous"
            </button>
            <span>{format!("Page {current} of {last} · {total} {noun}")}</span>
            <button type="button" disabled={current >= last} on:click=move |_| page.update(|p| *p += 1)>
                "Next"
            </button>
        </nav>
    }
}

/// The search box above a list; typing goes back to page 1.
#[component]
pub fn SearchBox(
    /// The visible label ("Search roles").
    label: &'static str,
    id: &'static str,
    placeholder: &'static str,
    search: RwSignal<String>,
    page: RwSignal<u32>,
) -> impl IntoView {
    view! {
        <div class="field search">
            <label for=id>{label}</label>
            <input
                id=id
                type="search"
                placeholder=placeholder
                prop:value=move || search.get()
                on:input=move |ev| {
                    search.set(event_target_value(&ev));
                    page.set(1);
                }
            />
        </div>
    }
}
