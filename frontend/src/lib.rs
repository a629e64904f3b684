//! Hydrates the page the server rendered, turning it into the interactive Console or My Account.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    let document = leptos::prelude::document();
    // A marker for tests, styles and the held-submit script in the page's head: interactive from
    // here on.
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
    // Forms held before hydration stop saying they wait: submitting them works now.
    while let Ok(Some(form)) = document.query_selector("form[data-waiting]") {
        let _ = form.remove_attribute("data-waiting");
        let _ = form.remove_attribute("aria-busy");
    }
}
