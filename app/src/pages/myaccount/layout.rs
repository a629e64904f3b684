use crate::components::SignOut;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

/// The My Account frame. Signed-out visitors never reach it: the server redirects them to sign in.
#[component]
pub fn MyAccountLayout() -> impl IntoView {
    view! {
        <Title text="My Account · Guise" />
        <div class="frame">
            <header class="topbar">
                <a href="/myaccount" class="brand">"My Account"</a>
                <SignOut />
            </header>
            <main class="content single">
                <Outlet />
            </main>
        </div>
    }
}
