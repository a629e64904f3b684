//! `GET|POST /oauth2/authorize` and the consent form's target `POST /oauth2/consent`.

use super::form::{parse_unique, split_decision};
use super::pages;
use crate::correlation::ThisRequest;
use crate::organization_path::Addressed;
use crate::state::AppState;
use app::api::server::session_caller;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::oauth::authorize::{AuthorizeParams, AuthorizeRejection, AuthorizeStep, ConsentAnswer};
use engine::Principal;
use http::HeaderMap;

pub async fn get(
    State(state): State<AppState>,
    addressed: Addressed,
    this: ThisRequest,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let raw = query.unwrap_or_default();
    handle(
        &state,
        addressed,
        this,
        &headers,
        raw.as_bytes(),
        ConsentAnswer::NotAsked,
    )
    .await
}

pub async fn post(
    State(state): State<AppState>,
    addressed: Addressed,
    this: ThisRequest,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(
        &state,
        addressed,
        this,
        &headers,
        &body,
        ConsentAnswer::NotAsked,
    )
    .await
}

/// The consent page posts the original request back with `decision=allow|deny`. Only our own
/// pages can (the same-origin check covers this path).
pub async fn consent(
    State(state): State<AppState>,
    addressed: Addressed,
    this: ThisRequest,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (decision, request) = split_decision(&body);
    let answer = match decision.as_deref() {
        Some("allow") => ConsentAnswer::Allow,
        Some("deny") => ConsentAnswer::Deny,
        _ => return pages::error("Invalid request", "The consent form was incomplete."),
    };
    handle(
        &state,
        addressed,
        this,
        &headers,
        request.as_bytes(),
        answer,
    )
    .await
}

async fn handle(
    state: &AppState,
    addressed: Addressed,
    this: ThisRequest,
    headers: &HeaderMap,
    raw: &[u8],
    answer: ConsentAnswer,
) -> Response {
    let engine = &state.ctx.engine;
    let params: AuthorizeParams = match parse_unique(raw) {
        Ok(p) => p,
        Err(message) => return pages::error("Invalid request", &message),
    };
    let req = match engine.validate_authorization_request(&params).await {
        Ok(req) => req,
        Err(AuthorizeRejection::ErrorPage(message)) => {
            return pages::error("Invalid request", &message)
        }
        Err(AuthorizeRejection::Redirect(location)) => {
            return Redirect::to(&location).into_response()
        }
    };
    // The organization hints (`orgId`, `org`) name the organization to sign in to, as a path
    // prefix does; a path's own prefix wins.
    let mut addressed = addressed.0;
    if addressed.is_none() {
        match crate::organization_path::hinted(engine, raw).await {
            Ok(None) => {}
            Ok(Some(context)) => addressed = Some(context),
            Err(Some(e)) => return crate::guard::unavailable(&e),
            Err(None) => {
                let e = engine::oauth::OAuthError::invalid_request(
                    "No active organization matches the organization hint.",
                );
                return Redirect::to(&req.error_redirect(&engine.issuer(), &e)).into_response();
            }
        }
    }
    let addressed = addressed.as_ref();
    let now = state.ctx.now();
    // Only a session we refuse means "not signed in": a database failure must not send a signed-in
    // browser to the login page (nor count as an anonymous request).
    // Under an organization's prefix, only a session of that organization is signed in there.
    let principal: Option<Principal> =
        match session_caller(engine, headers, addressed.map(|c| &c.id), this.0, now).await {
            Ok(principal) => principal,
            Err(e) => return crate::guard::unavailable(&e),
        };
    match engine
        .authorize(&req, principal.as_ref(), answer, now)
        .await
    {
        Ok(AuthorizeStep::Redirect(location)) => Redirect::to(&location).into_response(),
        Ok(AuthorizeStep::SignIn { reauth }) => {
            let mut back = params.clone();
            back.guise_reauth = reauth;
            let return_to = format!(
                "/oauth2/authorize?{}",
                serde_urlencoded::to_string(&back).unwrap_or_default()
            );
            Redirect::to(&crate::organization_path::login_location(
                &return_to, addressed,
            ))
            .into_response()
        }
        Ok(AuthorizeStep::Consent { app_name, scopes }) => {
            let carried: Vec<(String, String)> = form_urlencoded::parse(raw).into_owned().collect();
            let user = principal.as_ref().map(|p| p.username()).unwrap_or_default();
            pages::consent(&app_name, user, &scopes, &carried)
        }
        Ok(AuthorizeStep::Refused(why)) => pages::refused("Sign-in refused", why),
        Err(e) => Redirect::to(&req.error_redirect(&engine.issuer(), &e)).into_response(),
    }
}
