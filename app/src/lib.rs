//! Guise's web UI: the Console (administrators) and My Account (every user), server-rendered and
//! hydrated, plus the typed models and server functions they share with the server.

pub mod api;
pub mod components;
pub mod model;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
                <script nonce=leptos::nonce::use_nonce() inner_html=HOLD_SUBMITS_UNTIL_HYDRATED></script>
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Until the WASM has hydrated the page, a form that only the app can send (no `action`: its
/// submit handler calls a server function) is held, not posted to the page's own URL, which would
/// answer 405 and lose what was typed. The form says it is waiting (`data-waiting`, styled; and
/// `aria-busy`); the frontend clears both once hydrated. Forms with an `action` (Sign out, Stop
/// impersonating, Impersonate User) are plain posts that work without the WASM and pass through.
const HOLD_SUBMITS_UNTIL_HYDRATED: &str = "document.addEventListener('submit',function(e){\
var f=e.target;\
if(document.documentElement.hasAttribute('data-hydrated')||f.hasAttribute('action'))return;\
e.preventDefault();f.setAttribute('data-waiting','');f.setAttribute('aria-busy','true');\
},true);";

/// Sends a CSP that allows our own scripts, the WASM, and the inline hydration scripts that carry
/// this response's nonce: nothing foreign, no framing.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/guise.css" />
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view=pages::home::Home />
                <Route path=path!("/login") view=pages::login::LoginPage />
                <ParentRoute path=path!("/console") view=pages::console::layout::ConsoleLayout>
                    <Route path=path!("") view=pages::console::layout::ConsoleHome />
                    <Route path=path!("users") view=pages::console::users_list::UsersPage />
                    <Route path=path!("users/new") view=pages::console::user_new::NewUserPage />
                    <Route path=path!("users/:id") view=pages::console::user_page::UserPage />
                    <Route path=path!("roles") view=pages::console::roles_list::RolesPage />
                    <Route path=path!("roles/new") view=pages::console::role_new::NewRolePage />
                    <Route path=path!("roles/:id") view=pages::console::role_page::RolePage />
                    <Route path=path!("applications") view=pages::console::applications_list::ApplicationsPage />
                    <Route path=path!("applications/new") view=pages::console::application_new::NewApplicationPage />
                    <Route path=path!("applications/:id") view=pages::console::application_page::ApplicationPage />
                    <Route path=path!("api-resources") view=pages::console::api_resources_list::ApiResourcesPage />
                    <Route path=path!("api-resources/new") view=pages::console::api_resource_new::NewApiResourcePage />
                    <Route path=path!("api-resources/:id") view=pages::console::api_resource_page::ApiResourcePage />
                    <Route path=path!("organizations") view=pages::console::organizations_list::OrganizationsPage />
                    <Route path=path!("organizations/:id") view=pages::console::organization_page::OrganizationPage />
                    <Route path=path!("settings") view=pages::console::console_settings::ConsoleSettingsPage />
                    <Route path=path!("logs") view=pages::console::logs::LogsPage />
                    <Route path=path!("login-and-registration") view=pages::console::login_registration::LoginRegistrationPage />
                    <Route path=path!("login-and-registration/impersonation") view=pages::console::impersonation_settings::ImpersonationSettingsPage />
                    <Route path=path!("email-templates") view=pages::console::email_templates_list::EmailTemplatesPage />
                    <Route path=path!("email-templates/:type") view=pages::console::email_template_page::EmailTemplatePage />
                    <Route path=path!("email-outbox") view=pages::console::email_outbox_list::EmailOutboxPage />
                    <Route path=path!("email-outbox/:id") view=pages::console::email_outbox_message::EmailOutboxMessagePage />
                </ParentRoute>
                <ParentRoute path=path!("/myaccount") view=pages::myaccount::layout::MyAccountLayout>
                    <Route path=path!("") view=pages::myaccount::home::MyAccountHome />
                    <Route path=path!("activity") view=pages::myaccount::activity::AccountActivityPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
