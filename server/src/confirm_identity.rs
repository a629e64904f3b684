//! `POST /auth/confirm-identity` (`password`, `code`, `return_to`): the Console's step-up before
//! **Impersonate User**. A plain form target, like sign-in, so it works before hydration; it
//! answers with a redirect back to the page it came from, with `?confirm_error=…` on failure.

use crate::client_addr::ClientAddr;
use crate::correlation::ThisRequest;
use crate::login::safe_return_to;
use crate::state::AppState;
use app::api::server::session_caller;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use engine::factors::confirm::Confirmation;
use engine::Error;
use http::HeaderMap;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ConfirmForm {
    password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    return_to: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    ClientAddr(client_addr): ClientAddr,
    this: ThisRequest,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let engine = &state.ctx.engine;
    let now = state.ctx.now();
    let back = safe_return_to(&form.return_to);
    let principal = match session_caller(engine, &headers, None, this.0.clone(), now).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("return_to", &back)
                .finish();
            return Redirect::to(&format!("/login?{query}")).into_response();
        }
        Err(e) => return crate::guard::unavailable(&e),
    };
    let confirmation = Confirmation {
        password: &form.password,
        code: Some(form.code.as_str()).filter(|c| !c.trim().is_empty()),
        client_addr: &client_addr,
    };
    let failure = match engine.confirm_identity(&principal, confirmation, now).await {
        Ok(()) => return Redirect::to(&back).into_response(),
        Err(Error::Invalid(fields)) => {
            let field = fields.first().map_or("password", |f| f.field);
            vec![("confirm_error", field.to_owned())]
        }
        Err(Error::Throttled { retry_after_secs }) => vec![
            ("confirm_error", "throttled".to_owned()),
            ("retry_after", retry_after_secs.to_string()),
        ],
        Err(e @ Error::Unavailable(_)) => return crate::guard::unavailable(&e),
        Err(other) => {
            tracing::error!("confirming identity failed: {other}");
            vec![("confirm_error", "password".to_owned())]
        }
    };
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in &failure {
        query.append_pair(name, value);
    }
    let path = back.split('?').next().unwrap_or("/console");
    Redirect::to(&format!("{path}?{}", query.finish())).into_response()
}
