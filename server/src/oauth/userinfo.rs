//! `GET|POST /oauth2/userinfo` (OIDC Core §5.3).

use super::{auth_header, reply};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use engine::oauth::mint::profile_claims;
use engine::oauth::OAuthError;
use http::HeaderMap;
use serde_json::Value;

/// The bearer token from `Authorization: Bearer …` (any case of the scheme).
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    auth_header::credentials(headers, "Bearer")
}

pub async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return reply::bearer_error(&OAuthError::invalid_token(
            "A bearer access token is required.",
        ));
    };
    let access = match state
        .ctx
        .engine
        .authenticate_caller(token, state.ctx.now())
        .await
    {
        Ok(a) => a,
        Err(e) => return reply::bearer_error(&e),
    };
    let Some(user) = access.user() else {
        return reply::bearer_error(&OAuthError::invalid_token(
            "The token was not issued for a user.",
        ));
    };
    if !access.scope().contains("openid") {
        return reply::bearer_error(&OAuthError::insufficient_scope(
            "The token lacks the openid scope.",
        ));
    }
    let mut claims = profile_claims(user, access.scope());
    claims.insert("sub".into(), Value::from(user.id.as_str()));
    // Who really acts, as on the token (RFC 8693 §4.1): an impersonated user's claims say so.
    if let Some(act) = &access.claims().act {
        claims.insert("act".into(), serde_json::json!({ "sub": act.sub }));
    }
    reply::json(&Value::Object(claims))
}
