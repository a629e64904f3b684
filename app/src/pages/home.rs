use leptos::prelude::*;
use leptos_meta::Title;

/// The server's front door: where the two portals are.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Title text="Guise" />
        <main class="centered">
            <h1>"Guise"</h1>
            <p>"Identity server with accountable user impersonation."</p>
            <ul class="portal-links">
                <li><a href="/console">"Console"</a>" — for administrators"</li>
                <li><a href="/myaccount">"My Account"</a>" — your profile and applications"</li>
            </ul>
        </main>
    }
}
