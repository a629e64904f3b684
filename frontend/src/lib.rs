//! Hydrates the page the server rendered, turning it into the interactive Console or My Account.

use leptos::mount::hydrate_from_async;
use wasm_bindgen_futures::spawn_local;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazily loaded routes (WASM chunks): hydration waits for the page's chunk, so it
    // runs as a task (and sets up Leptos' executor itself).
    spawn_local(async {
        let body = leptos::prelude::document().body();
        let Some(body) = body else {
            return;
        };
        hydrate_from_async(body, app::App).await.forget();
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
