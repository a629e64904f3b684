//! `/scim2/Me`: the token's own user (RFC 7644 §3.11). Needs `internal_login`; the user may
//! change their name, email and country here, nothing an administrator controls.

use super::error::{bad_request, scim_json, ScimError};
use super::users::{bearer, parse_body};
use super::{patch, resource};
use crate::correlation::ThisRequest;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use engine::oauth::bearer::BearerAccess;
use engine::users::User;
use http::{HeaderMap, StatusCode};

async fn me(
    state: &AppState,
    headers: &HeaderMap,
    this: ThisRequest,
) -> Result<(BearerAccess, User), ScimError> {
    let access = bearer(state, headers, this).await?;
    let user = access.user().cloned().ok_or_else(|| {
        ScimError::new(
            StatusCode::FORBIDDEN,
            None,
            "The token was not issued for a user.",
        )
    })?;
    if !access.scope().contains("internal_login") {
        return Err(ScimError::new(
            StatusCode::FORBIDDEN,
            None,
            "The token lacks the internal_login scope.",
        ));
    }
    Ok((access, user))
}

pub async fn get(
    State(state): State<AppState>,
    this: ThisRequest,
    headers: HeaderMap,
) -> Result<Response, ScimError> {
    let (_, user) = me(&state, &headers, this).await?;
    Ok(with_etag(&state, &user))
}

pub async fn patch(
    State(state): State<AppState>,
    this: ThisRequest,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScimError> {
    let (access, user) = me(&state, &headers, this).await?;
    let request = parse_body(&body)?;
    let mut json = resource::to_json(&user, &state.web.public_base);
    patch::apply(&mut json, &request).map_err(|m| bad_request("invalidPath", &m))?;
    let wanted = resource::from_json(&json).map_err(|m| bad_request("invalidValue", &m))?;
    // The engine makes the principal, with the token's `act` (who really acts), so that the
    // sensitive-operation policy, the ceiling and the audit see an impersonator too.
    let engine = &state.ctx.engine;
    let principal = engine.principal_from_bearer(&access)?;
    let updated = engine
        .update_me_as_stated(&principal, &user, wanted, state.ctx.now())
        .await?;
    Ok(with_etag(&state, &updated))
}

/// The user as the response, with its version as `ETag` (as `/Users` answers).
fn with_etag(state: &AppState, user: &User) -> Response {
    let mut response = scim_json(
        StatusCode::OK,
        &resource::to_json(user, &state.web.public_base),
    );
    super::etag::set(response.headers_mut(), user.version);
    response
}
