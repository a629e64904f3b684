//! SCIM 2.0 (RFC 7643, RFC 7644) for users: `/scim2/Users`, `/scim2/Me` and the discovery
//! endpoints. The handlers translate between SCIM JSON and the engine's provisioning calls.

mod discovery;
mod error;
mod etag;
mod filter;
mod me;
mod organization;
mod patch;
mod resource;
mod users;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const CONTENT_TYPE: &str = "application/scim+json";

pub fn routes() -> Router<AppState> {
    // The organization endpoint: the same user handlers, in the token's (child) organization.
    let organization = Router::new()
        .route("/o/scim2/Users", get(users::list).post(users::create))
        .route("/o/scim2/Users/.search", post(users::search))
        .route(
            "/o/scim2/Users/{id}",
            get(users::get)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete),
        )
        .layer(axum::middleware::from_fn(organization::mark));
    Router::new()
        .merge(organization)
        .route(
            "/scim2/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route("/scim2/ResourceTypes", get(discovery::resource_types))
        .route("/scim2/ResourceTypes/{id}", get(discovery::resource_type))
        .route("/scim2/Schemas", get(discovery::schemas))
        .route("/scim2/Schemas/{id}", get(discovery::schema))
        .route("/scim2/Users", get(users::list).post(users::create))
        .route("/scim2/Users/.search", post(users::search))
        .route("/scim2/.search", post(users::search))
        .route(
            "/scim2/Users/{id}",
            get(users::get)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete),
        )
        .route("/scim2/Me", get(me::get).patch(me::patch))
        .route("/scim2", get(error::not_found))
        .route("/scim2/{*rest}", axum::routing::any(error::not_found))
}
