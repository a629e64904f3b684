//! OpenID Provider metadata (OIDC Discovery 1.0, RFC 8414) and the JWK Set.

use super::reply;
use crate::organization_path::Addressed;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use engine::applications::GrantType;
use http::{header, HeaderValue};
use serde_json::json;

/// The provider's metadata. Read under an organization's path (`/o/{org-id}/…`, `/t/{handle}/…`),
/// every endpoint it lists is that organization's own, so that an application configured from it
/// signs its users in there; the issuer stays the one every token names.
pub async fn configuration(State(state): State<AppState>, addressed: Addressed) -> Response {
    let prefix = addressed.0.map(|c| c.prefix).unwrap_or_default();
    let at = state.ctx.engine.endpoints_under(&prefix);
    let doc = json!({
        "issuer": at.issuer,
        "authorization_endpoint": at.authorize,
        "token_endpoint": at.token,
        "userinfo_endpoint": at.userinfo,
        "jwks_uri": at.jwks,
        "introspection_endpoint": at.introspection,
        "revocation_endpoint": at.revocation,
        "end_session_endpoint": at.logout,
        "scopes_supported": engine::oauth::scope::OIDC_SCOPES,
        "response_types_supported": ["code", "subject_token", "id_token subject_token"],
        "response_modes_supported": ["query", "fragment"],
        "grant_types_supported": [
            GrantType::AuthorizationCode.as_str(),
            GrantType::RefreshToken.as_str(),
            GrantType::ClientCredentials.as_str(),
            GrantType::TokenExchange.as_str(),
            GrantType::OrganizationSwitch.as_str(),
        ],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid", "isk", "amr", "at_hash", "act",
            "org_id", "org_name", "user_org", "name", "given_name", "family_name", "preferred_username",
            "email", "updated_at"
        ],
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "authorization_response_iss_parameter_supported": true,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "claims_parameter_supported": false,
        "frontchannel_logout_supported": false,
        "backchannel_logout_supported": false,
    });
    let mut response = axum::Json(doc).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=300"),
    );
    response
}

pub async fn jwks(State(state): State<AppState>) -> Response {
    match state.ctx.engine.keys(state.ctx.now()).await {
        Ok(keys) => {
            let mut response = axum::Json(keys.jwks()).into_response();
            // A rotated-in key signs only once every copy cached under this has expired
            // (`engine::keys::PUBLISH_LEAD_SECS`).
            let max_age = format!("max-age={}", engine::keys::JWKS_MAX_AGE_SECS);
            if let Ok(value) = HeaderValue::from_str(&max_age) {
                response.headers_mut().insert(header::CACHE_CONTROL, value);
            }
            response
        }
        Err(e) => reply::error(&e.into()),
    }
}
