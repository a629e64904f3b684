use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// **Login & Registration**: the organization's sign-in settings, grouped as the guide names them.
#[component]
pub fn LoginRegistrationPage() -> impl IntoView {
    view! {
        <Title text="Login & Registration · Console · Guise" />
        <h1>"Login & Registration"</h1>
        <section class="card" aria-labelledby="organization-settings">
            <h2 id="organization-settings">"Organization settings"</h2>
            <ul class="settings-links">
                <li>
                    <A href="/console/login-and-registration/impersonation">"Impersonation"</A>
                    <p class="hint">"Tell users by email when someone impersonates them."</p>
                </li>
            </ul>
        </section>
    }
}
