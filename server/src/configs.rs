//! `/api/server/v1/configs/impersonation`: the organization's impersonation settings over REST,
//! bearer-authorized like SCIM. `GET` needs `internal_config_view`; `PATCH` and `DELETE` need
//! `internal_config_update`. Bodies are the contract's JSON: `{"enableEmailNotification":true}`.

use crate::oauth::bearer_token;
use crate::organization_path::Addressed;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use engine::access::scopes;
use engine::access::Permission;
use engine::notifications::ImpersonationSettings;
use engine::{ConsoleAdmin, Error};
use http::{header, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

pub const IMPERSONATION_PATH: &str = "/api/server/v1/configs/impersonation";
const FIELD_PATH: &str = "/enableEmailNotification";

pub fn routes() -> Router<AppState> {
    Router::new().route(IMPERSONATION_PATH, get(read).patch(patch).delete(reset))
}

/// A refused request: status and the contract's error body (`code`, `message`, `description`).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: &'static str,
    description: String,
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        message: &'static str,
        description: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            message,
            description: description.into(),
        }
    }

    fn bad_request(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "CNF-60001",
            "Invalid request.",
            description,
        )
    }

    fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "CNF-60002",
            "Unauthorized.",
            "A valid bearer access token is required.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            json!({ "code": self.code, "message": self.message, "description": self.description });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Engine errors in this API's terms. Internal detail is logged under a reference, never sent.
impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Unauthenticated | Error::InvalidCredentials => Self::unauthorized(),
            Error::Forbidden(scope) => Self::new(
                StatusCode::FORBIDDEN,
                "CNF-60003",
                "Forbidden.",
                format!("The access token lacks the permission this operation needs ({scope})."),
            ),
            Error::Invalid(fields) => Self::bad_request(
                fields
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Error::Unavailable(detail) => {
                let reference = uuid::Uuid::new_v4().to_string();
                tracing::error!(%reference, "unavailable: {detail}");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "CNF-65001",
                    "Service unavailable.",
                    format!("Try again later (reference {reference})."),
                )
            }
            Error::NotAdministrator
            | Error::AboveCeiling
            | Error::NotWhileImpersonating(_)
            | Error::ImpersonationRefused(_)
            | Error::AccountInactive(_) => Self::new(
                StatusCode::FORBIDDEN,
                "CNF-60003",
                "Forbidden.",
                "The access token's user may not change these settings.",
            ),
            Error::NotFound(_)
            | Error::Refused(_)
            | Error::PreconditionFailed
            | Error::Throttled { .. }
            | Error::Internal(_) => {
                // None of these is an answer this API gives: a bug of ours if it happens.
                let reference = uuid::Uuid::new_v4().to_string();
                tracing::error!(%reference, "configs: {e:?}");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "CNF-65002",
                    "Server error.",
                    format!("Reference {reference}."),
                )
            }
        }
    }
}

/// The caller of a settings request, established once by this extractor: the bearer token's user
/// with the Console scopes the token carries, and — under an organization's path — only a token
/// of that organization. Only a token we refuse is 401; a database failure is 503.
pub(crate) struct Caller(pub(crate) ConsoleAdmin);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &AppState,
    ) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        let engine = &state.ctx.engine;
        let request = crate::correlation::ThisRequest::of(&parts.extensions).0;
        let access = engine
            .bearer_caller(token, request, state.ctx.now())
            .await?;
        let addressed = Addressed::of(&parts.extensions);
        Ok(Self(
            engine.bearer_admin(&access, false, addressed.id()).await?,
        ))
    }
}

fn body(settings: ImpersonationSettings) -> Json<Value> {
    Json(json!({ "enableEmailNotification": settings.enable_email_notification }))
}

/// `GET`: the settings. Needs `internal_config_view`.
async fn read(
    State(state): State<AppState>,
    Caller(admin): Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(body(state.ctx.engine.impersonation_settings(&admin).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Operation {
    operation: String,
    path: String,
    value: Option<Value>,
}

/// The settings after `operations` (`[{"operation":"REPLACE","path":"/enableEmailNotification","value":false}]`).
fn apply(raw: &Bytes) -> Result<ImpersonationSettings, ApiError> {
    let operations: Vec<Operation> = serde_json::from_slice(raw).map_err(|_| {
        ApiError::bad_request(
            "The body must be a JSON array of {\"operation\", \"path\", \"value\"} objects.",
        )
    })?;
    if operations.is_empty() {
        return Err(ApiError::bad_request("Name at least one operation."));
    }
    let mut enable = None;
    for op in operations {
        if !matches!(op.operation.as_str(), "REPLACE" | "ADD") {
            return Err(ApiError::bad_request(format!(
                "Unsupported operation {:?}: use REPLACE.",
                op.operation
            )));
        }
        if op.path != FIELD_PATH {
            return Err(ApiError::bad_request(format!(
                "Unknown path {:?}: the only one is {FIELD_PATH}.",
                op.path
            )));
        }
        match op.value {
            Some(Value::Bool(b)) => enable = Some(b),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "The value of {FIELD_PATH} must be true or false."
                )))
            }
        }
    }
    Ok(ImpersonationSettings {
        enable_email_notification: enable.unwrap_or(true),
    })
}

/// `PATCH`: changes the settings; answers with them. Needs `internal_config_update`.
async fn patch(
    State(state): State<AppState>,
    Caller(admin): Caller,
    raw: Bytes,
) -> Result<Json<Value>, ApiError> {
    // A token that may not change anything hears so before anything about its body.
    if !admin.has(Permission::ConfigUpdate) {
        return Err(Error::Forbidden(scopes::CONFIG_UPDATE).into());
    }
    let settings = apply(&raw)?;
    let engine = &state.ctx.engine;
    Ok(body(
        engine
            .update_impersonation_settings(&admin, settings, state.ctx.now())
            .await?,
    ))
}

/// `DELETE`: back to the defaults (notifications on). Needs `internal_config_update`.
async fn reset(
    State(state): State<AppState>,
    Caller(admin): Caller,
) -> Result<StatusCode, ApiError> {
    state
        .ctx
        .engine
        .reset_impersonation_settings(&admin, state.ctx.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
