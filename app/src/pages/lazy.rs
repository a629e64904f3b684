//! The pages the browser loads only when it shows them: every Console page, the sign-in page, the
//! front door and My Account's activity. Each is a split point: its code (the page, and what only
//! it uses) goes into WASM chunks of its own, fetched with the route (the server lists them as
//! preloads in the page's head), so a user of My Account never downloads the Console, and the
//! Console's first load carries the pages it opens, not all of them. My Account's frame and home
//! page stay in the main bundle: they are what most visitors come for, and as chunks they would
//! arrive in a hundred small pieces that compress worse than one. Built with
//! `cargo leptos build --split`; without it everything is one bundle and works the same.

use leptos::prelude::*;
#[cfg(not(feature = "my-account-bundle"))]
use leptos_router::lazy_route;
use leptos_router::LazyRoute;

/// `$route`: the lazily loaded route whose view is the page component `$page`.
#[cfg(not(feature = "my-account-bundle"))]
macro_rules! lazy_pages {
    ($($route:ident => $($page:ident)::+;)+) => {$(
        #[doc = concat!("The lazily loaded route of `", stringify!($($page)::+), "`.")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                super::$($page)::+().into_any()
            }
        }
    )+};
}

// Not in My Account's bundle, which is not split: there a lazy page would be an import from the
// split's loader, and a Console page, kept by its export, would carry all it uses into a bundle
// that never shows it.
#[cfg(not(feature = "my-account-bundle"))]
lazy_pages! {
    HomeRoute => home::Home;
    LoginRoute => login::LoginPage;
    AccountActivityRoute => myaccount::activity::AccountActivityPage;
    ConsoleLayoutRoute => console::layout::ConsoleLayout;
    ConsoleHomeRoute => console::layout::ConsoleHome;
    UsersRoute => console::users_list::UsersPage;
    NewUserRoute => console::user_new::NewUserPage;
    UserRoute => console::user_page::UserPage;
    RolesRoute => console::roles_list::RolesPage;
    NewRoleRoute => console::role_new::NewRolePage;
    RoleRoute => console::role_page::RolePage;
    ApplicationsRoute => console::applications_list::ApplicationsPage;
    NewApplicationRoute => console::application_new::NewApplicationPage;
    ApplicationRoute => console::application_page::ApplicationPage;
    ApiResourcesRoute => console::api_resources_list::ApiResourcesPage;
    NewApiResourceRoute => console::api_resource_new::NewApiResourcePage;
    ApiResourceRoute => console::api_resource_page::ApiResourcePage;
    OrganizationsRoute => console::organizations_list::OrganizationsPage;
    OrganizationRoute => console::organization_page::OrganizationPage;
    ConsoleSettingsRoute => console::console_settings::ConsoleSettingsPage;
    LogsRoute => console::logs::LogsPage;
    LoginRegistrationRoute => console::login_registration::LoginRegistrationPage;
    ImpersonationSettingsRoute => console::impersonation_settings::ImpersonationSettingsPage;
    EmailTemplatesRoute => console::email_templates_list::EmailTemplatesPage;
    EmailTemplateRoute => console::email_template_page::EmailTemplatePage;
    EmailOutboxRoute => console::email_outbox_list::EmailOutboxPage;
    EmailOutboxMessageRoute => console::email_outbox_message::EmailOutboxMessagePage;
}

/// Account activity in My Account's bundle: the same route, drawn the same way (so the page the
/// server rendered hydrates), its code in the bundle itself.
#[cfg(feature = "my-account-bundle")]
pub struct AccountActivityRoute;

#[cfg(feature = "my-account-bundle")]
impl LazyRoute for AccountActivityRoute {
    fn data() -> Self {
        AccountActivityRoute
    }

    async fn view(_this: Self) -> AnyView {
        super::myaccount::activity::AccountActivityPage().into_any()
    }
}
