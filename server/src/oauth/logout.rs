//! `GET|POST /oidc/logout` (RP-initiated logout) and its confirmation `POST /oidc/logout/confirm`.

use super::form::{parse_unique, split_decision};
use super::pages;
use crate::login::clear_session_cookie;
use crate::state::AppState;
use app::api::server::session_token;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::oauth::logout::LogoutParams;
use http::{header, HeaderMap};

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let raw = query.unwrap_or_default();
    handle(&state, &headers, raw.as_bytes(), false).await
}

pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    handle(&state, &headers, &body, false).await
}

/// The confirmation form posts the request back with `decision=logout|cancel`.
pub async fn confirm(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (decision, rest) = split_decision(&body);
    match decision.as_deref() {
        Some("logout") => handle(&state, &headers, rest.as_bytes(), true).await,
        Some("cancel") => Redirect::to("/myaccount").into_response(),
        _ => pages::error("Invalid request", "The sign-out form was incomplete."),
    }
}

async fn handle(state: &AppState, headers: &HeaderMap, raw: &[u8], confirmed: bool) -> Response {
    let engine = &state.ctx.engine;
    let now = state.ctx.now();
    let params: LogoutParams = match parse_unique(raw) {
        Ok(p) => p,
        Err(message) => return pages::error("Invalid request", &message),
    };
    let req = match engine.validate_logout(&params, now).await {
        Ok(r) => r,
        Err(message) => return pages::error("Sign-out failed", &message),
    };
    let token = session_token(headers);
    if req.ask && !confirmed && token.is_some() {
        let carried: Vec<(String, String)> = form_urlencoded::parse(raw).into_owned().collect();
        return pages::logout(req.app.as_ref().map(|a| a.name.as_str()), &carried);
    }
    let mut session_ended = true;
    if let Some(token) = token {
        match engine.sign_out(token, now).await {
            // The impersonation ended; the browser keeps the impersonator's own session.
            Ok(engine::sessions::SignedOut::Impersonation) => session_ended = false,
            Ok(engine::sessions::SignedOut::Session) => {}
            Err(e) => tracing::error!("sign-out failed: {e}"),
        }
    }
    let mut response = match &req.redirect {
        Some(location) => Redirect::to(location).into_response(),
        None => pages::signed_out(),
    };
    if session_ended {
        response
            .headers_mut()
            .append(header::SET_COOKIE, clear_session_cookie(state));
    }
    response
}
