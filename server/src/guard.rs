//! Pages of the Console and My Account need a session: visitors without one are sent to sign in,
//! and come back afterwards. A session that has not yet signed into the portal does so here, through
//! the provider's own authorization decision, before the page renders.

use crate::state::AppState;
use app::api::server::session_caller;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::{CONSOLE_APP, MY_ACCOUNT_APP};
use engine::ceiling::refusals::Refusal;
use engine::{Engine, Error, Principal, Timestamp};
use http::{Method, StatusCode};

/// The system application a page belongs to.
pub(crate) fn portal_of(path: &str) -> Option<&'static str> {
    [("/console", CONSOLE_APP), ("/myaccount", MY_ACCOUNT_APP)]
        .into_iter()
        .find(|(p, _)| {
            path == *p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .map(|(_, kind)| kind)
}

pub async fn require_session(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(portal) = portal_of(request.uri().path()) else {
        return next.run(request).await;
    };
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let engine = &state.ctx.engine;
    let now = state.ctx.now();
    // Only a session we refuse means "sign in"; a database failure is an error page (503), or
    // every visitor would be sent to the login page while the database is down.
    let addressed = crate::organization_path::Addressed::of(request.extensions());
    let this = crate::correlation::ThisRequest::of(request.extensions()).0;
    let principal = match session_caller(engine, request.headers(), addressed.id(), this, now).await
    {
        Ok(principal) => principal,
        Err(e) => return unavailable(&e),
    };
    if let Some(principal) = principal {
        match ensure_portal_grant(engine, &principal, portal, now).await {
            Ok(()) => return next.run(request).await,
            Err(Error::Refused(why)) => {
                return crate::oauth::pages::refused("Sign-in refused", why)
            }
            Err(Error::ImpersonationRefused(Refusal::ConsoleWhileImpersonating)) => {
                return crate::oauth::pages::console_while_impersonating(principal.username());
            }
            Err(Error::ImpersonationRefused(refusal)) => {
                return crate::oauth::pages::refused("Sign-in refused", refusal.message())
            }
            Err(e) => return unavailable(&e),
        }
    }
    let here = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
    Redirect::to(&crate::organization_path::login_location(
        here,
        addressed.0.as_ref(),
    ))
    .into_response()
}

/// The page could not be served because of our failure: 503 for the database, 500 otherwise,
/// each with a reference to the log entry (the detail is never sent).
pub(crate) fn unavailable(e: &Error) -> Response {
    let reference = uuid::Uuid::new_v4();
    tracing::error!(%reference, "portal page: {e}");
    let status = match e {
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (
        status,
        format!("The page could not be served; try again shortly (reference {reference})."),
    )
        .into_response()
}

pub(crate) async fn ensure_portal_grant(
    engine: &Engine,
    principal: &Principal,
    portal: &str,
    now: Timestamp,
) -> Result<(), Error> {
    match engine.portal_scope(principal, portal).await {
        Ok(_) => Ok(()),
        Err(Error::Unauthenticated) => engine
            .sign_into_portal(principal, portal, now)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_pages() {
        assert_eq!(portal_of("/console"), Some(CONSOLE_APP));
        assert_eq!(portal_of("/console/users/1"), Some(CONSOLE_APP));
        assert_eq!(portal_of("/myaccount"), Some(MY_ACCOUNT_APP));
        assert_eq!(portal_of("/consoles"), None);
        assert_eq!(portal_of("/login"), None);
    }
}
