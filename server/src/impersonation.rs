//! `POST /auth/impersonation/stop`: **Stop impersonating**, from My Account's banner or from any
//! page that refused an impersonated sign-in. A plain form target answering with a redirect, so it
//! works hydrated or not; the same-origin check guards it like every write.

use crate::correlation::ThisRequest;
use crate::state::AppState;
use app::api::server::session_caller;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use http::HeaderMap;

pub async fn stop(
    State(state): State<AppState>,
    this: ThisRequest,
    headers: HeaderMap,
) -> Response {
    let engine = &state.ctx.engine;
    let now = state.ctx.now();
    let principal = match session_caller(engine, &headers, None, this.0.clone(), now).await {
        Ok(Some(p)) => p,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(e) => return crate::guard::unavailable(&e),
    };
    match engine.stop_impersonating(&principal, now).await {
        // Back where the impersonation started: the user's page in the administrator's Console.
        Ok(Some(subject)) => Redirect::to(&format!("/console/users/{subject}")).into_response(),
        Ok(None) => Redirect::to("/console").into_response(),
        Err(e) => crate::guard::unavailable(&e),
    }
}

#[derive(serde::Deserialize)]
pub struct StartForm {
    user_id: String,
    /// Why, and the ticket id, when the organization asks (the form's **Reason** and **Ticket**).
    #[serde(default)]
    reason: String,
    #[serde(default)]
    ticket: String,
}

/// `POST /auth/impersonation/start` (`user_id`, `reason`, `ticket`): the Console's **Impersonate User**. A form the
/// button submits into a new tab: the impersonation starts, and that tab lands in My Account as
/// the user. A refusal is a page saying why (the button shows the same reason beforehand).
pub async fn start(
    State(state): State<AppState>,
    this: ThisRequest,
    headers: HeaderMap,
    axum::Form(form): axum::Form<StartForm>,
) -> Response {
    let engine = &state.ctx.engine;
    let now = state.ctx.now();
    let principal = match session_caller(engine, &headers, None, this.0.clone(), now).await {
        Ok(Some(p)) => p,
        Ok(None) => return Redirect::to("/login?return_to=%2Fconsole").into_response(),
        Err(e) => return crate::guard::unavailable(&e),
    };
    let refused = |why: &str| crate::oauth::pages::refused("Impersonation refused", why);
    let Some(target) = engine::UserId::parse(&form.user_id) else {
        return refused("No such user.");
    };
    if principal.impersonating().is_some() {
        return refused(engine::ceiling::impersonation::Refusal::Chaining.message());
    }
    // The Console's sign-in for this session, made now if the browser has not opened it yet.
    if let Err(e) =
        crate::guard::ensure_portal_grant(engine, &principal, engine::access::CONSOLE_APP, now)
            .await
    {
        if !matches!(e, engine::Error::Refused(_)) {
            return crate::guard::unavailable(&e);
        }
    }
    let admin = match engine.console_admin(&principal).await {
        Ok(admin) => admin,
        Err(
            engine::Error::Unauthenticated
            | engine::Error::Forbidden(_)
            | engine::Error::NotAdministrator,
        ) => return refused("Only a signed-in administrator can impersonate from the Console."),
        Err(e) => return crate::guard::unavailable(&e),
    };
    match engine
        .impersonate_from_console(
            &admin,
            &target,
            &engine::impersonation::Justification::new(Some(&form.reason), Some(&form.ticket)),
            now,
        )
        .await
    {
        Ok(_) => Redirect::to("/myaccount").into_response(),
        Err(engine::Error::ImpersonationRefused(refusal)) => refused(refusal.message()),
        Err(engine::Error::Forbidden(_)) => {
            refused("You need permission to view users to impersonate them.")
        }
        Err(engine::Error::Refused(why)) => refused(why),
        // The form says what is missing before it is sent; a request without it is told here.
        Err(engine::Error::Invalid(fields)) => refused(
            &fields
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Err(e) => crate::guard::unavailable(&e),
    }
}
