use super::paused::{ConsolePausedNotice, PausedWhileImpersonating};
use crate::api::session::load_console_session;
use crate::components::{ErrorNote, SignOut};
use crate::model::{AppError, ConsoleSession};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

/// The Console frame. Only administrators get past it; anyone else sees why not.
#[component]
pub fn ConsoleLayout() -> impl IntoView {
    let session = Resource::new(|| (), |_| load_console_session());
    view! {
        <Title text="Console · Guise" />
        <Suspense fallback=|| view! { <p class="loading">"Loading the Console…"</p> }>
            {move || {
                session
                    .get()
                    .map(|result| match result {
                        Ok(s) => view! { <ConsoleFrame session=s /> }.into_any(),
                        Err(AppError::NotAdministrator) => view! { <NotAdministrator /> }.into_any(),
                        Err(AppError::ConsolePaused) => view! { <main class="centered"><ConsolePausedNotice /></main> }.into_any(),
                        Err(AppError::NotSignedIn) => {
                            view! {
                                <main class="centered">
                                    <h1>"Sign in required"</h1>
                                    <p><a href="/login?return_to=/console">"Sign in to the Console"</a></p>
                                </main>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <main class="centered"><ErrorNote error=e /></main> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ConsoleFrame(session: ConsoleSession) -> impl IntoView {
    let username = session.username.clone();
    // Abilities are Copy: each link's condition keeps its own.
    let (users, roles, applications, api_resources, administrators, audit_logs) = (
        session.users,
        session.roles,
        session.applications,
        session.api_resources,
        session.administrators,
        session.audit_logs,
    );
    let (configs, email, organizations) = (session.configs, session.email, session.organizations);
    let switched = session.switched_to.clone().map(|organization| {
        let home_org_id = session.home_org_id.clone();
        view! { <super::switched_banner::SwitchedBanner organization home_org_id /> }
    });
    provide_context(session);
    view! {
        <div class="frame">
            <header class="topbar">
                <a href="/console" class="brand">"Guise Console"</a>
                <span class="who">{username}</span>
                <a href="/myaccount">"My Account"</a>
                <SignOut />
            </header>
            <div class="with-sidebar">
                <nav class="sidebar" aria-label="Console">
                    // The guide's menus, grouped as its product groups them.
                    <Show when=move || users.view || roles.view>
                        <NavGroup title="User Management">
                            <Show when=move || users.view>
                                <li><A href="/console/users">"Users"</A></li>
                            </Show>
                            <Show when=move || roles.view>
                                <li><A href="/console/roles">"Roles"</A></li>
                            </Show>
                        </NavGroup>
                    </Show>
                    <Show when=move || organizations.view>
                        <NavGroup title="Organization Management">
                            <li><A href="/console/organizations">"Organizations"</A></li>
                        </NavGroup>
                    </Show>
                    <Show when=move || applications.view || api_resources.view>
                        <NavGroup title="Applications & API Resources">
                            <Show when=move || applications.view>
                                <li><A href="/console/applications">"Applications"</A></li>
                            </Show>
                            <Show when=move || api_resources.view>
                                <li><A href="/console/api-resources">"API Resources"</A></li>
                            </Show>
                        </NavGroup>
                    </Show>
                    <Show when=move || configs.view>
                        <NavGroup title="Login & Registration">
                            <li><A href="/console/login-and-registration">"Organization settings"</A></li>
                        </NavGroup>
                    </Show>
                    <Show when=move || email.view>
                        <NavGroup title="Branding">
                            <li><A href="/console/email-templates">"Email Templates"</A></li>
                            <li><A href="/console/email-outbox">"Email Outbox"</A></li>
                        </NavGroup>
                    </Show>
                    <Show when=move || administrators.view || audit_logs>
                        <NavGroup title="Administration">
                            <Show when=move || administrators.view>
                                <li><A href="/console/settings">"Console Settings"</A></li>
                            </Show>
                            <Show when=move || audit_logs>
                                <li><A href="/console/logs">"Logs"</A></li>
                            </Show>
                        </NavGroup>
                    </Show>
                </nav>
                <main class="content">
                    {switched}
                    <Outlet />
                </main>
            </div>
            <PausedWhileImpersonating />
        </div>
    }
}

/// One group of the Console's navigation: its title and its links.
#[component]
fn NavGroup(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="nav-section">
            <p class="nav-group">{title}</p>
            <ul>{children()}</ul>
        </div>
    }
}

#[component]
fn NotAdministrator() -> impl IntoView {
    view! {
        <main class="centered">
            <h1>"You are not an administrator"</h1>
            <p>"The Console is for administrators of this organization. Ask an administrator to give you access."</p>
            <p><a href="/myaccount">"Go to My Account"</a></p>
            <SignOut />
        </main>
    }
}

/// `/console`: the first area the administrator may use. The server answers with a redirect when
/// it can; the page is a lazily loaded route, drawn after the response has started, so the browser
/// usually goes there itself, once hydrated (in an effect: a navigation during hydration is lost),
/// replacing `/console` in the history.
#[component]
pub fn ConsoleHome() -> impl IntoView {
    let session = use_context::<ConsoleSession>().unwrap_or_default();
    let first = [
        (session.users.view, "/console/users"),
        (session.roles.view, "/console/roles"),
        (session.applications.view, "/console/applications"),
        (session.api_resources.view, "/console/api-resources"),
        (session.administrators.view, "/console/settings"),
        (session.audit_logs, "/console/logs"),
        (session.configs.view, "/console/login-and-registration"),
        (session.email.view, "/console/email-templates"),
        (session.organizations.view, "/console/organizations"),
    ]
    .into_iter()
    .find_map(|(allowed, path)| allowed.then_some(path))
    .unwrap_or("/console/users");
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(first);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        navigate(
            first,
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    });
    view! { <p class="loading">"Opening the Console…"</p> }
}
