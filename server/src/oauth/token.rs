//! `POST /oauth2/token`, `/oauth2/introspect` (RFC 7662) and `/oauth2/revoke` (RFC 7009).

use super::client_auth::{authenticate, credentials, ClientCredentials};
use super::form::parse_unique;
use super::reply;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use engine::applications::Application;
use engine::oauth::token::TokenParams;
use engine::oauth::OAuthError;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use std::collections::HashMap;

/// The form, with the client authenticated and its credentials taken out.
struct ClientRequest {
    client: Application,
    form: HashMap<String, String>,
}

impl ClientRequest {
    /// The `token` parameter of introspection and revocation.
    fn token(&self) -> Result<&str, OAuthError> {
        self.form
            .get("token")
            .map(String::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| OAuthError::invalid_request("token is missing."))
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// A failed client authentication through the `Authorization` header gets a `Basic` challenge.
fn client_error(e: &OAuthError, creds: Option<&ClientCredentials>) -> Response {
    let mut response = reply::error(e);
    if e.code == engine::oauth::ErrorCode::InvalidClient && creds.is_some_and(|c| c.basic) {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"guise\""),
        );
    }
    response
}

async fn client_request(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<ClientRequest, Response> {
    if !is_form(headers) {
        return Err(reply::error(&OAuthError::invalid_request(
            "Send the parameters as application/x-www-form-urlencoded.",
        )));
    }
    let mut form: HashMap<String, String> =
        parse_unique(body).map_err(|m| reply::error(&OAuthError::invalid_request(m)))?;
    let creds = credentials(headers, &mut form).map_err(|e| client_error(&e, None))?;
    let client = authenticate(state, &creds)
        .await
        .map_err(|e| client_error(&e, Some(&creds)))?;
    Ok(ClientRequest { client, form })
}

pub async fn token(
    State(state): State<AppState>,
    this: crate::correlation::ThisRequest,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req = match client_request(&state, &headers, &body).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let params = TokenParams {
        grant_type: req.form.get("grant_type").cloned(),
        code: req.form.get("code").cloned(),
        redirect_uri: req.form.get("redirect_uri").cloned(),
        code_verifier: req.form.get("code_verifier").cloned(),
        refresh_token: req.form.get("refresh_token").cloned(),
        scope: req.form.get("scope").cloned(),
        subject_token: req.form.get("subject_token").cloned(),
        subject_token_type: req.form.get("subject_token_type").cloned(),
        actor_token: req.form.get("actor_token").cloned(),
        actor_token_type: req.form.get("actor_token_type").cloned(),
        requested_token_type: req.form.get("requested_token_type").cloned(),
        token: req.form.get("token").cloned(),
        switching_organization: req.form.get("switching_organization").cloned(),
        request: this.0,
    };
    match state
        .ctx
        .engine
        .token(&req.client, &params, state.ctx.now())
        .await
    {
        Ok(tokens) => reply::json(&tokens),
        Err(e) => reply::error(&e),
    }
}

pub async fn introspect(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req = match client_request(&state, &headers, &body).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let token = match req.token() {
        Ok(t) => t,
        Err(e) => return reply::error(&e),
    };
    match state
        .ctx
        .engine
        .introspect(&req.client, token, state.ctx.now())
        .await
    {
        Ok(answer) => reply::json(&answer),
        Err(e) => reply::error(&e),
    }
}

pub async fn revoke(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let req = match client_request(&state, &headers, &body).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let token = match req.token() {
        Ok(t) => t,
        Err(e) => return reply::error(&e),
    };
    match state
        .ctx
        .engine
        .revoke_token(&req.client, token, state.ctx.now())
        .await
    {
        Ok(()) => {
            let mut r = StatusCode::OK.into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => reply::error(&e),
    }
}
