//! SCIM error responses (RFC 7644 §3.12) and the JSON every SCIM answer is sent as.

use super::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use engine::Error;
use http::{header, HeaderValue, StatusCode};
use serde_json::{json, Value};

pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A SCIM JSON body with `Content-Type: application/scim+json`.
pub fn scim_json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

pub fn scim_error(status: StatusCode, scim_type: Option<&str>, detail: &str) -> Response {
    let mut body = json!({ "schemas": [ERROR_SCHEMA], "status": status.as_u16().to_string(), "detail": detail });
    if let Some(t) = scim_type {
        body["scimType"] = json!(t);
    }
    let mut response = scim_json(status, &body);
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"scim2\""),
        );
    }
    response
}

/// A failed SCIM request; answered as a SCIM error body.
#[derive(Debug)]
pub struct ScimError {
    status: StatusCode,
    scim_type: Option<&'static str>,
    detail: String,
}

impl ScimError {
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
        }
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        scim_error(self.status, self.scim_type, &self.detail)
    }
}

impl From<Error> for ScimError {
    fn from(e: Error) -> Self {
        from_engine(e)
    }
}

pub fn bad_request(scim_type: &'static str, detail: &str) -> ScimError {
    ScimError::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
}

pub async fn not_found() -> Response {
    scim_error(
        StatusCode::NOT_FOUND,
        None,
        "No such SCIM resource or endpoint.",
    )
}

/// Engine errors in SCIM terms. Internal detail is logged, never sent.
fn from_engine(e: Error) -> ScimError {
    match e {
        Error::Invalid(fields) => {
            let detail = fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join(" ");
            if fields.iter().any(|f| f.message.contains("already taken")) {
                ScimError::new(StatusCode::CONFLICT, Some("uniqueness"), detail)
            } else {
                bad_request("invalidValue", &detail)
            }
        }
        Error::NotFound(what) => ScimError::new(
            StatusCode::NOT_FOUND,
            None,
            format!("The {what} does not exist."),
        ),
        Error::Unauthenticated => ScimError::new(
            StatusCode::UNAUTHORIZED,
            None,
            "A valid bearer access token is required.",
        ),
        Error::Forbidden(scope) => ScimError::new(
            StatusCode::FORBIDDEN,
            None,
            format!("The access token lacks the permission this operation needs ({scope})."),
        ),
        Error::Refused(why) => bad_request("mutability", why),
        Error::NotWhileImpersonating(change) => {
            ScimError::new(StatusCode::FORBIDDEN, None, change.message())
        }
        Error::ImpersonationRefused(refusal) => {
            ScimError::new(StatusCode::FORBIDDEN, None, refusal.message())
        }
        Error::AboveCeiling => ScimError::new(
            StatusCode::FORBIDDEN,
            None,
            "The user holds privileges the caller does not hold; only someone who holds them may change this user.",
        ),
        Error::PreconditionFailed => ScimError::new(
            StatusCode::PRECONDITION_FAILED,
            None,
            "The user changed since the version named in If-Match; read it again.",
        ),
        Error::Unavailable(detail) => unavailable(&detail),
        other => {
            let reference = uuid::Uuid::new_v4();
            tracing::error!(%reference, "scim: {other}");
            ScimError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                format!("The server could not complete the request (reference {reference})."),
            )
        }
    }
}

/// The database (or another dependency) failed: 503 with a reference to the log entry, whose
/// detail is never sent.
pub fn unavailable(detail: &str) -> ScimError {
    let reference = uuid::Uuid::new_v4();
    tracing::error!(%reference, "scim: unavailable: {detail}");
    ScimError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        None,
        format!("The service is temporarily unavailable (reference {reference})."),
    )
}
