//! The site's WASM bundle: hydrates every server-rendered page, the Console's lazily loaded pages
//! included (My Account's pages get a bundle of their own, `frontend/my-account`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    app::hydration::hydrate_page();
}
