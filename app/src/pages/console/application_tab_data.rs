use crate::api::console_api_resources::api_resource_catalog;
use crate::api::console_application_sharing::application_sharing;
use crate::api::console_applications::{application_authorizations, AuthorizeApiResource};
use crate::api::console_organizations::list_organizations;
use crate::api::console_roles::list_roles;
use crate::model::{
    ApiResource, AppError, Authorization, Organization, Paged, RoleAudienceFilter, RoleSummary,
    SharedAccess,
};
use leptos::prelude::*;
use std::future::Future;

/// What an application's tabs load. A loader that is not needed yet (its tab is closed)
/// resolves to `None` at once; the tab reads `Some(result)`.
pub type TabResource<T> = Resource<Option<Result<T, AppError>>>;

/// The data of an application's tabs, made by the page itself, before its `<Transition>`.
///
/// Resources made inside a suspended view are made again each time the server walks that view,
/// so their ids on the server no longer match the ones the browser gives them while hydrating: a
/// tab opened by its URL then hydrated against data it never received (a panic, or a form shown
/// twice). Made here, they are made once, in the same order on both sides, and each loads only
/// while its tab is open.
#[derive(Clone, Copy)]
pub struct TabData {
    /// API Authorization: saving reloads the list.
    pub save_authorization: ServerAction<AuthorizeApiResource>,
    pub authorizations: TabResource<Vec<Authorization>>,
    pub catalog: TabResource<Vec<ApiResource>>,
    /// Roles: **Role Audience** (true: this application) and the page of the list.
    pub roles_for_application: RwSignal<bool>,
    pub roles_page: RwSignal<u32>,
    pub roles: TabResource<Paged<RoleSummary>>,
    /// Shared Access.
    pub sharing: TabResource<SharedAccess>,
    pub organizations: TabResource<Vec<Organization>>,
}

/// A resource that loads `fetch(key)` while `key` gives `Some`.
fn while_open<K, T, Fut>(
    key: impl Fn() -> Option<K> + Send + Sync + 'static,
    fetch: impl Fn(K) -> Fut + Send + Sync + 'static,
) -> TabResource<T>
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    Resource::new(key, move |key| {
        let loading = key.map(&fetch);
        async move {
            match loading {
                Some(fetching) => Some(fetching.await),
                None => None,
            }
        }
    })
}

impl TabData {
    /// `id` is the application's; `open(tab)` says whether the tab of that name is open
    /// (`"api-authorization"`, `"roles"`, `"shared-access"`).
    pub fn new(
        id: impl Fn() -> String + Copy + Send + Sync + 'static,
        open: impl Fn(&str) -> bool + Copy + Send + Sync + 'static,
    ) -> Self {
        let save_authorization = ServerAction::<AuthorizeApiResource>::new();
        let roles_for_application = RwSignal::new(true);
        let roles_page = RwSignal::new(1u32);
        Self {
            save_authorization,
            authorizations: while_open(
                move || {
                    open("api-authorization").then(|| (id(), save_authorization.version().get()))
                },
                |(id, _)| application_authorizations(id),
            ),
            catalog: while_open(
                move || open("api-authorization").then_some(()),
                |()| api_resource_catalog(),
            ),
            roles_for_application,
            roles_page,
            roles: while_open(
                move || {
                    open("roles").then(|| (id(), roles_for_application.get(), roles_page.get()))
                },
                |(id, for_app, page)| {
                    let audience = if for_app {
                        RoleAudienceFilter::Application(id)
                    } else {
                        RoleAudienceFilter::Organization
                    };
                    list_roles(String::new(), audience, page)
                },
            ),
            sharing: while_open(move || open("shared-access").then(id), application_sharing),
            organizations: while_open(
                move || open("shared-access").then_some(()),
                |()| list_organizations(),
            ),
        }
    }
}
