//! My Account's bundle knows only My Account's pages. A link to any other (the Console, the
//! sign-in page, the start page) is the site bundle's: the browser loads that page from the server,
//! as if the link had been followed without the app. An unknown address under /myaccount is not
//! found, here as on the server.

use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Elsewhere() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if crate::pages::myaccount::is_my_account_path(&path) {
        return NotFound().into_any();
    }
    let mut address = path;
    let search = location.search.get_untracked();
    if !search.is_empty() {
        address.push('?');
        address.push_str(&search);
    }
    let hash = location.hash.get_untracked();
    if !hash.is_empty() {
        if !hash.starts_with('#') {
            address.push('#');
        }
        address.push_str(&hash);
    }
    let _ = window().location().set_href(&address);
    view! { <p class="loading">"Loading…"</p> }.into_any()
}
