//! `/scim2/Me`: the token's own user (RFC 7644 §3.11). Needs `internal_login`; the user may
//! change their name and email here, nothing an administrator controls.

use super::error::{bad_request, from_engine, scim_error, scim_json};
use super::{patch, resource};
use crate::oauth::bearer_token;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use engine::oauth::bearer::BearerAccess;
use engine::users::{ProfileChanges, User};
use engine::Principal;
use http::{HeaderMap, StatusCode};

async fn me(state: &AppState, headers: &HeaderMap) -> Result<(BearerAccess, User), Response> {
    let unauthorized = || scim_error(StatusCode::UNAUTHORIZED, None, "A valid bearer access token is required.");
    let token = bearer_token(headers).ok_or_else(unauthorized)?;
    let access = state
        .ctx
        .engine
        .authenticate_bearer(token, state.ctx.now())
        .await
        .map_err(|_| unauthorized())?;
    let user = access
        .user
        .clone()
        .ok_or_else(|| scim_error(StatusCode::FORBIDDEN, None, "The token was not issued for a user."))?;
    if !access.scope.contains("internal_login") {
        return Err(scim_error(StatusCode::FORBIDDEN, None, "The token lacks the internal_login scope."));
    }
    Ok((access, user))
}

pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match me(&state, &headers).await {
        Ok((_, user)) => scim_json(StatusCode::OK, &resource::to_json(&user, &state.web.public_base)),
        Err(r) => r,
    }
}

pub async fn patch(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (access, user) = match me(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Ok(request) = serde_json::from_slice(&body) else {
        return bad_request("invalidSyntax", "The body is not valid JSON.");
    };
    let mut json = resource::to_json(&user, &state.web.public_base);
    if let Err(m) = patch::apply(&mut json, &request) {
        return bad_request("invalidPath", &m);
    }
    let wanted = match resource::from_json(&json) {
        Ok(w) => w,
        Err(m) => return bad_request("invalidValue", &m),
    };
    let admin_controlled = wanted.username != user.username
        || !wanted.active
        || wanted.external_id != user.external_id
        || wanted.password.is_some();
    if admin_controlled {
        return bad_request(
            "mutability",
            "Through /Me you can change your name and email; the rest is managed by administrators (change your password in My Account).",
        );
    }
    let principal = Principal {
        user_id: user.id.clone(),
        org_id: user.org_id.clone(),
        username: user.username.clone(),
        session_hash: String::new(),
        auth_time: engine::Timestamp(access.claims.iat),
    };
    let changes = ProfileChanges {
        email: wanted.email,
        given_name: wanted.given_name,
        family_name: wanted.family_name,
    };
    match state.ctx.engine.update_my_profile(&principal, changes, state.ctx.now()).await {
        Ok(updated) => scim_json(StatusCode::OK, &resource::to_json(&updated, &state.web.public_base)),
        Err(e) => from_engine(e),
    }
}
