//! Server-side plumbing shared by the server functions: the context the server provides, the
//! caller's identity, and the one mapping from engine errors to [`AppError`].

use crate::model::{AppError, FieldError, Profile, UserDetail, UserPage, UserStatus, UserSummary};
use engine::{ConsoleAdmin, Engine, Principal, Timestamp};
use leptos::prelude::use_context;
use std::sync::Arc;

/// What the server hands every server function and page render through Leptos context.
#[derive(Clone)]
pub struct ServerContext {
    pub engine: Engine,
    pub clock: Arc<dyn engine::Clock>,
}

impl ServerContext {
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

pub fn context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| internal("server context missing"))
}

/// The one way a browser session's caller is established, for the server's handlers and the
/// server functions alike: the session cookie, authenticated by the engine. `Ok(None)` for no
/// session, one the engine refuses, or — when the request's path addresses an organization
/// (`addressed`) — a session of another organization, which does not count there. A database
/// failure is an error, never "signed out".
pub async fn session_caller(
    engine: &Engine,
    headers: &http::HeaderMap,
    addressed: Option<&engine::OrgId>,
    request: Option<std::sync::Arc<engine::audit::request::RequestContext>>,
    now: Timestamp,
) -> Result<Option<Principal>, engine::Error> {
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    match engine.authenticate(token, now).await {
        Ok(principal) if principal.counts_at(addressed) => Ok(Some(principal.in_request(request))),
        Ok(_) | Err(engine::Error::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The signed-in caller of a server function, from the session cookie of the current request.
pub async fn principal() -> Result<(ServerContext, Principal), AppError> {
    let ctx = context()?;
    let parts =
        use_context::<http::request::Parts>().ok_or_else(|| internal("request parts missing"))?;
    // Server functions are answered at one address, never under an organization's path.
    let request = parts
        .extensions
        .get::<std::sync::Arc<engine::audit::request::RequestContext>>()
        .cloned();
    match session_caller(&ctx.engine, &parts.headers, None, request, ctx.now()).await {
        Ok(Some(principal)) => Ok((ctx, principal)),
        Ok(None) => Err(respond(AppError::NotSignedIn)),
        Err(e) => Err(to_app_error(e)),
    }
}

/// The caller, signed into My Account in this session (the grant that sign-in produced).
pub async fn account_holder() -> Result<(ServerContext, Principal), AppError> {
    let (ctx, principal) = principal().await?;
    ctx.engine
        .portal_scope(&principal, engine::access::MY_ACCOUNT_APP)
        .await
        .map_err(to_app_error)?;
    Ok((ctx, principal))
}

/// The SSO session token in a request's `Cookie` headers.
pub fn session_token(headers: &http::HeaderMap) -> Option<&str> {
    cookie(headers, engine::sessions::SESSION_COOKIE)
}

/// The cookie `name` in a request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| engine::sessions::cookie_from_header(header, name))
}

/// The caller, checked for Console access.
pub async fn console_admin() -> Result<(ServerContext, ConsoleAdmin), AppError> {
    let (ctx, principal) = principal().await?;
    let admin = ctx
        .engine
        .console_admin(&principal)
        .await
        .map_err(to_app_error)?;
    Ok((ctx, admin))
}

/// The one place engine errors become browser-facing errors. Internal detail is logged under a
/// reference id and never sent. The response status says the same as the error.
pub fn to_app_error(e: engine::Error) -> AppError {
    respond(app_error(e))
}

/// Sets the response status for `error` and returns it.
pub fn respond(error: AppError) -> AppError {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status_code(&error));
    }
    error
}

pub fn status_code(e: &AppError) -> http::StatusCode {
    use http::StatusCode as S;
    match e {
        AppError::NotSignedIn => S::UNAUTHORIZED,
        AppError::NotAdministrator | AppError::Forbidden => S::FORBIDDEN,
        AppError::NotFound(_) => S::NOT_FOUND,
        AppError::Invalid(_) => S::UNPROCESSABLE_ENTITY,
        AppError::Refused(_) | AppError::ConsolePaused => S::CONFLICT,
        AppError::Throttled(_) => S::TOO_MANY_REQUESTS,
        AppError::Internal { .. } | AppError::Transport(_) => S::INTERNAL_SERVER_ERROR,
        AppError::Unavailable { .. } => S::SERVICE_UNAVAILABLE,
    }
}

fn app_error(e: engine::Error) -> AppError {
    use engine::Error as E;
    match e {
        E::Invalid(fields) => AppError::Invalid(
            fields
                .into_iter()
                .map(|f| FieldError {
                    field: f.field.to_owned(),
                    message: f.message,
                })
                .collect(),
        ),
        E::NotFound(what) => AppError::NotFound(what.to_owned()),
        E::Unauthenticated => AppError::NotSignedIn,
        E::NotAdministrator => AppError::NotAdministrator,
        E::Forbidden(_) => AppError::Forbidden,
        E::InvalidCredentials => AppError::Refused("Incorrect username or password.".into()),
        E::AccountInactive(_) => AppError::Refused("This account is not active.".into()),
        E::Throttled { retry_after_secs } => AppError::Throttled(retry_after_secs),
        E::Refused(m) => AppError::Refused(m.to_owned()),
        E::NotWhileImpersonating(change) => match change.field() {
            // Next to the field the impersonator tried to change, with what they typed kept.
            Some(field) => AppError::Invalid(vec![FieldError {
                field: field.to_owned(),
                message: change.message().to_owned(),
            }]),
            None => AppError::Refused(change.message().to_owned()),
        },
        E::ImpersonationRefused(engine::ceiling::refusals::Refusal::ConsoleWhileImpersonating) => {
            AppError::ConsolePaused
        }
        E::ImpersonationRefused(refusal) => AppError::Refused(refusal.message().to_owned()),
        E::AboveCeiling => AppError::Refused(
            "This user holds privileges you do not hold; only an administrator who holds them may change this user."
                .into(),
        ),
        E::PreconditionFailed => {
            AppError::Refused("This changed meanwhile; reload the page and try again.".into())
        }
        E::Unavailable(detail) => unavailable(&detail),
        E::Internal(detail) => internal(&detail),
    }
}

/// The database failed: logged under a reference, answered 503.
pub fn unavailable(detail: &str) -> AppError {
    let reference = uuid::Uuid::new_v4().to_string();
    tracing::error!(%reference, "unavailable: {detail}");
    respond(AppError::Unavailable { reference })
}

pub fn internal(detail: &str) -> AppError {
    let reference = uuid::Uuid::new_v4().to_string();
    tracing::error!(%reference, "{detail}");
    respond(AppError::Internal { reference })
}

pub fn status(s: engine::users::UserStatus) -> UserStatus {
    match s {
        engine::users::UserStatus::Active => UserStatus::Active,
        engine::users::UserStatus::Locked => UserStatus::Locked,
        engine::users::UserStatus::Disabled => UserStatus::Disabled,
    }
}

pub fn summary(u: &engine::users::User) -> UserSummary {
    UserSummary {
        id: u.id.to_string(),
        username: u.username.clone(),
        email: u.email.clone(),
        given_name: u.given_name.clone(),
        family_name: u.family_name.clone(),
        status: status(u.status),
    }
}

pub fn detail(u: &engine::users::User) -> UserDetail {
    UserDetail {
        summary: summary(u),
        country: u.country.clone(),
        created_at: crate::model::time::utc_date_time(u.created_at.0),
        updated_at: crate::model::time::utc_date_time(u.updated_at.0),
    }
}

pub fn page(p: engine::Page<engine::users::User>) -> UserPage {
    super::convert::paged(p, |u| summary(&u))
}

pub fn profile(
    u: &engine::users::User,
    is_administrator: bool,
    while_impersonating: Option<crate::model::ImpersonationLimits>,
) -> Profile {
    Profile {
        username: u.username.clone(),
        email: u.email.clone(),
        given_name: u.given_name.clone(),
        family_name: u.family_name.clone(),
        country: u.country.clone(),
        is_administrator,
        while_impersonating,
    }
}

/// Parses a user id from the browser; anything malformed is simply "not found".
pub fn user_id(raw: &str) -> Result<engine::UserId, AppError> {
    engine::UserId::parse(raw).ok_or_else(|| respond(AppError::NotFound("user".into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_without_leaking_detail() {
        // Internal detail never reaches the browser: not in the error, not in its message.
        let secret = "database: no such table secret_xyz";
        for (error, status) in [
            (
                to_app_error(engine::Error::Internal(secret.into())),
                http::StatusCode::INTERNAL_SERVER_ERROR,
            ),
            (
                to_app_error(engine::Error::Unavailable(secret.into())),
                http::StatusCode::SERVICE_UNAVAILABLE,
            ),
        ] {
            // Debug shows every field the serialized error would carry.
            let sent = format!("{error:?}");
            assert!(!sent.contains("secret_xyz"), "{sent}");
            assert!(!error.to_string().contains("secret_xyz"));
            assert_eq!(status_code(&error), status);
            let reference = match &error {
                AppError::Internal { reference } | AppError::Unavailable { reference } => reference,
                other => panic!("unexpected {other:?}"),
            };
            // The reference is what the log entry is found by: a real, fresh id.
            assert!(uuid::Uuid::parse_str(reference).is_ok(), "{reference}");
        }
        // A database failure is never "not signed in" nor "not an administrator".
        assert!(matches!(
            to_app_error(engine::Error::Unavailable(
                "database: pool timed out".into()
            )),
            AppError::Unavailable { .. }
        ));
        assert_eq!(
            to_app_error(engine::Error::NotAdministrator),
            AppError::NotAdministrator
        );
        assert_eq!(
            to_app_error(engine::Error::Forbidden("internal_user_mgt_create")),
            AppError::Forbidden
        );
        assert_eq!(
            to_app_error(engine::Error::Unauthenticated),
            AppError::NotSignedIn
        );
        let invalid = to_app_error(engine::Error::invalid("username", "taken"));
        assert_eq!(invalid.field("username").as_deref(), Some("taken"));
        assert_eq!(
            status_code(&invalid),
            http::StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_code(&AppError::NotAdministrator),
            http::StatusCode::FORBIDDEN
        );
        assert_eq!(
            status_code(&AppError::Throttled(3)),
            http::StatusCode::TOO_MANY_REQUESTS
        );
    }
}
