//! `POST /auth/impersonation/stop`: **Stop impersonating**, from My Account's banner or from any
//! page that refused an impersonated sign-in. A plain form target answering with a redirect, so it
//! works hydrated or not; the same-origin check guards it like every write.

use crate::state::AppState;
use app::api::server::session_token;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use http::HeaderMap;

pub async fn stop(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let engine = &state.ctx.engine;
    let now = state.ctx.now();
    let Some(token) = session_token(&headers) else {
        return Redirect::to("/login").into_response();
    };
    let principal = match engine.authenticate(token, now).await {
        Ok(p) => p,
        Err(engine::Error::Unauthenticated) => return Redirect::to("/login").into_response(),
        Err(e) => return crate::guard::unavailable(&e),
    };
    match engine.stop_impersonating(&principal, now).await {
        // Back where the impersonation started: the user's page in the administrator's Console.
        Ok(Some(subject)) => Redirect::to(&format!("/console/users/{subject}")).into_response(),
        Ok(None) => Redirect::to("/console").into_response(),
        Err(e) => crate::guard::unavailable(&e),
    }
}
