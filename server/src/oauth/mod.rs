//! The OAuth 2.0 / OpenID Connect endpoints. Each handler parses the request, calls the engine,
//! and writes the answer in the protocol's format; the rules live in `engine::oauth`.

mod auth_header;
mod authorize;
mod client_auth;
mod discovery;
mod form;
mod logout;
pub(crate) mod pages;
mod reply;
mod token;
mod userinfo;

pub use userinfo::bearer_token;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth2/authorize",
            get(authorize::get).post(authorize::post),
        )
        .route("/oauth2/consent", post(authorize::consent))
        .route("/oauth2/token", post(token::token))
        .route("/oauth2/introspect", post(token::introspect))
        .route("/oauth2/revoke", post(token::revoke))
        .route("/oauth2/jwks", get(discovery::jwks))
        .route(
            "/oauth2/userinfo",
            get(userinfo::userinfo).post(userinfo::userinfo),
        )
        .route(
            "/.well-known/openid-configuration",
            get(discovery::configuration),
        )
        .route(
            "/oauth2/token/.well-known/openid-configuration",
            get(discovery::configuration),
        )
        .route("/oidc/logout", get(logout::get).post(logout::post))
        .route("/oidc/logout/confirm", post(logout::confirm))
}
