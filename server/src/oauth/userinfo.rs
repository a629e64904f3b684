//! `GET|POST /oauth2/userinfo` (OIDC Core §5.3).

use super::{auth_header, reply};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use engine::oauth::OAuthError;
use http::HeaderMap;
use serde_json::Value;

/// The bearer token from `Authorization: Bearer …` (any case of the scheme).
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    auth_header::credentials(headers, "Bearer")
}

pub async fn userinfo(
    State(state): State<AppState>,
    this: crate::correlation::ThisRequest,
    headers: HeaderMap,
) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return reply::bearer_error(&OAuthError::invalid_token(
            "A bearer access token is required.",
        ));
    };
    let access = match state
        .ctx
        .engine
        .authenticate_caller(token, this.0, state.ctx.now())
        .await
    {
        Ok(a) => a,
        Err(e) => return reply::bearer_error(&e),
    };
    match state.ctx.engine.userinfo(&access) {
        Ok(claims) => reply::json(&Value::Object(claims)),
        Err(e) => reply::bearer_error(&e),
    }
}
