//! Guise's web UI: the Console (administrators) and My Account (every user), server-rendered and
//! hydrated, plus the typed models and server functions they share with the server.

pub mod api;
#[cfg(feature = "ssr")]
pub mod assets;
pub mod components;
#[cfg(feature = "hydrate")]
pub mod hydration;
pub mod model;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::provide_meta_context;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy};
use pages::lazy;

/// The HTML document around the app, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" id="leptos" href=assets::stylesheet_href() />
                <AutoReload options=options.clone() />
                <PageScripts options />
                <MetaTags />
                <script nonce=leptos::nonce::use_nonce() inner_html=HOLD_SUBMITS_UNTIL_HYDRATED></script>
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The scripts that hydrate the page: My Account's own bundle on My Account's pages when the build
/// made one, else the site's (Leptos' `HydrationScripts`, with the preloads of the page's chunks).
#[cfg(feature = "ssr")]
#[component]
fn PageScripts(options: LeptosOptions) -> impl IntoView {
    let my_account_page = use_context::<http::request::Parts>()
        .is_some_and(|parts| pages::myaccount::is_my_account_path(parts.uri.path()));
    match assets::my_account_bundle().filter(|_| my_account_page) {
        Some(bundle) => {
            // What `HydrationScripts` writes for a bundle: fetch both files at once, then load the
            // module, instantiate the WASM and hydrate.
            let js = format!("{bundle}.js");
            let wasm = format!("{bundle}.wasm");
            let start = format!(
                "import({js:?}).then(m=>m.default({{module_or_path:{wasm:?}}}).then(()=>m.hydrate()));"
            );
            view! {
                <link rel="modulepreload" href=js />
                <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
                <script type="module" nonce=leptos::nonce::use_nonce() inner_html=start></script>
            }
            .into_any()
        }
        None => view! { <HydrationScripts options /> }.into_any(),
    }
}

/// Until the WASM has hydrated the page, a form that only the app can send (no `action`: its
/// submit handler calls a server function) is held, not posted to the page's own URL, which would
/// answer 405 and lose what was typed. The form says it is waiting (`data-waiting`, styled; and
/// `aria-busy`); the frontend clears both once hydrated. Forms with an `action` (Sign out, Stop
/// impersonating, Impersonate User) are plain posts that work without the WASM and pass through.
#[cfg(feature = "ssr")]
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

#[cfg(not(feature = "my-account-bundle"))]
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view={Lazy::<lazy::HomeRoute>::new()} />
                <Route path=path!("/login") view={Lazy::<lazy::LoginRoute>::new()} />
                <ParentRoute path=path!("/console") view={Lazy::<lazy::ConsoleLayoutRoute>::new()}>
                    <Route path=path!("") view={Lazy::<lazy::ConsoleHomeRoute>::new()} />
                    <Route path=path!("users") view={Lazy::<lazy::UsersRoute>::new()} />
                    <Route path=path!("users/new") view={Lazy::<lazy::NewUserRoute>::new()} />
                    <Route path=path!("users/:id") view={Lazy::<lazy::UserRoute>::new()} />
                    <Route path=path!("roles") view={Lazy::<lazy::RolesRoute>::new()} />
                    <Route path=path!("roles/new") view={Lazy::<lazy::NewRoleRoute>::new()} />
                    <Route path=path!("roles/:id") view={Lazy::<lazy::RoleRoute>::new()} />
                    <Route path=path!("applications") view={Lazy::<lazy::ApplicationsRoute>::new()} />
                    <Route path=path!("applications/new") view={Lazy::<lazy::NewApplicationRoute>::new()} />
                    <Route path=path!("applications/:id") view={Lazy::<lazy::ApplicationRoute>::new()} />
                    <Route path=path!("api-resources") view={Lazy::<lazy::ApiResourcesRoute>::new()} />
                    <Route path=path!("api-resources/new") view={Lazy::<lazy::NewApiResourceRoute>::new()} />
                    <Route path=path!("api-resources/:id") view={Lazy::<lazy::ApiResourceRoute>::new()} />
                    <Route path=path!("organizations") view={Lazy::<lazy::OrganizationsRoute>::new()} />
                    <Route path=path!("organizations/:id") view={Lazy::<lazy::OrganizationRoute>::new()} />
                    <Route path=path!("settings") view={Lazy::<lazy::ConsoleSettingsRoute>::new()} />
                    <Route path=path!("logs") view={Lazy::<lazy::LogsRoute>::new()} />
                    <Route path=path!("login-and-registration") view={Lazy::<lazy::LoginRegistrationRoute>::new()} />
                    <Route path=path!("login-and-registration/impersonation") view={Lazy::<lazy::ImpersonationSettingsRoute>::new()} />
                    <Route path=path!("email-templates") view={Lazy::<lazy::EmailTemplatesRoute>::new()} />
                    <Route path=path!("email-templates/:type") view={Lazy::<lazy::EmailTemplateRoute>::new()} />
                    <Route path=path!("email-outbox") view={Lazy::<lazy::EmailOutboxRoute>::new()} />
                    <Route path=path!("email-outbox/:id") view={Lazy::<lazy::EmailOutboxMessageRoute>::new()} />
                </ParentRoute>
                <ParentRoute path=path!("/myaccount") view=pages::myaccount::layout::MyAccountLayout>
                    <Route path=path!("") view=pages::myaccount::home::MyAccountHome />
                    <Route path=path!("activity") view={Lazy::<lazy::AccountActivityRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// My Account's bundle: the routes of My Account alone, drawn exactly as [`App`] draws them (the
/// server renders with `App`, this hydrates). Any other address belongs to the site's bundle, which
/// the browser then loads from the server ([`pages::elsewhere::Elsewhere`]).
#[cfg(feature = "my-account-bundle")]
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=pages::elsewhere::Elsewhere>
                <ParentRoute path=path!("/myaccount") view=pages::myaccount::layout::MyAccountLayout>
                    <Route path=path!("") view=pages::myaccount::home::MyAccountHome />
                    <Route path=path!("activity") view={Lazy::<lazy::AccountActivityRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
