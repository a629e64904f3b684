//! What the browser runs once the WASM has loaded: hydrate the page the server rendered. Both
//! bundles (the site's, `frontend`, and My Account's, `frontend/my-account`) start here.

use leptos::mount::hydrate_from_async;

/// Hydrates the document's body with [`crate::App`], then marks the page interactive. Pages are
/// lazily loaded routes (WASM chunks) in the site's bundle, so hydration waits for the page's
/// chunk: it runs as a task, which also sets up Leptos' executor.
pub fn hydrate_page() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        hydrate_from_async(body, crate::App).await.forget();
        mark_hydrated();
    });
}

/// A marker for tests, styles and the held-submit script in the page's head: interactive from
/// here on. Forms held before hydration stop saying they wait: submitting them works now.
fn mark_hydrated() {
    let document = leptos::prelude::document();
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
    while let Ok(Some(form)) = document.query_selector("form[data-waiting]") {
        let _ = form.remove_attribute("data-waiting");
        let _ = form.remove_attribute("aria-busy");
    }
}
