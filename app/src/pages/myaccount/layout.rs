use super::impersonation_banner::ImpersonationNotice;
use crate::api::my_account::load_my_session;
use crate::components::SignOut;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

/// The My Account frame, with the impersonation banner on every page while an administrator
/// impersonates the user. Signed-out visitors never reach it: the server redirects them to sign in.
#[component]
pub fn MyAccountLayout() -> impl IntoView {
    let session = Resource::new(|| (), |_| load_my_session());
    view! {
        <Title text="My Account · Guise" />
        <div class="frame">
            <header class="topbar">
                <a href="/myaccount" class="brand">"My Account"</a>
                // The user's own record: not offered to an impersonator (the server refuses it too).
                <Transition fallback=|| ()>
                    {move || {
                        session
                            .get()
                            .and_then(Result::ok)
                            .filter(|s| s.impersonation.is_none())
                            .map(|_| view! { <a href="/myaccount/activity">"Account activity"</a> })
                    }}
                </Transition>
                <SignOut />
            </header>
            // A failure here shows on the page below; the frame stays quiet.
            <Transition fallback=|| ()>
                {move || {
                    session
                        .get()
                        .and_then(Result::ok)
                        .and_then(|s| s.impersonation)
                        .map(|banner| view! { <ImpersonationNotice banner /> })
                }}
            </Transition>
            <main class="content single">
                <Outlet />
            </main>
        </div>
    }
}
