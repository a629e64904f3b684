//! My Account's WASM bundle: the same app with My Account's routes only (`app`'s
//! `my-account-bundle` feature), served on /myaccount pages, so that a user who never opens the
//! Console never downloads it (scripts/build-my-account.sh).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    app::hydration::hydrate_page();
}
