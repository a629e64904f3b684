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
            if fields.iter().any(|f| f.kind == engine::error::FieldKind::Taken) {
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
        Error::Unauthenticated | Error::InvalidCredentials => ScimError::new(
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
        Error::NotAdministrator => ScimError::new(
            StatusCode::FORBIDDEN,
            None,
            "The access token's user may not administer users.",
        ),
        Error::AccountInactive(_) => {
            ScimError::new(StatusCode::FORBIDDEN, None, "The account is not active.")
        }
        Error::Throttled { retry_after_secs } => ScimError::new(
            StatusCode::TOO_MANY_REQUESTS,
            None,
            format!("Too many attempts; retry in {retry_after_secs} s."),
        ),
        Error::Unavailable(detail) => unavailable(&detail),
        Error::Internal(detail) => {
            let reference = uuid::Uuid::new_v4();
            tracing::error!(%reference, "scim: {detail}");
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

#[cfg(test)]
mod tests {
    use super::*;
    use engine::ceiling::refusals::{Refusal, Sensitive};
    use engine::error::FieldError;

    /// Every engine error, in SCIM's terms: the status and `scimType` a client acts on.
    #[test]
    fn each_engine_error_has_its_scim_answer() {
        let cases: Vec<(Error, StatusCode, Option<&str>)> = vec![
            (
                Error::invalid("email", "bad"),
                StatusCode::BAD_REQUEST,
                Some("invalidValue"),
            ),
            (
                Error::Invalid(vec![FieldError::taken("username", "taken")]),
                StatusCode::CONFLICT,
                Some("uniqueness"),
            ),
            (
                Error::Invalid(vec![FieldError::too_long("country", "long")]),
                StatusCode::BAD_REQUEST,
                Some("invalidValue"),
            ),
            (Error::NotFound("user"), StatusCode::NOT_FOUND, None),
            (Error::Unauthenticated, StatusCode::UNAUTHORIZED, None),
            (
                Error::Forbidden("internal_user_mgt_update"),
                StatusCode::FORBIDDEN,
                None,
            ),
            (Error::NotAdministrator, StatusCode::FORBIDDEN, None),
            (Error::InvalidCredentials, StatusCode::UNAUTHORIZED, None),
            (
                Error::AccountInactive(engine::users::UserStatus::Locked),
                StatusCode::FORBIDDEN,
                None,
            ),
            (
                Error::Throttled {
                    retry_after_secs: 3,
                },
                StatusCode::TOO_MANY_REQUESTS,
                None,
            ),
            (
                Error::Refused("no"),
                StatusCode::BAD_REQUEST,
                Some("mutability"),
            ),
            (
                Error::PreconditionFailed,
                StatusCode::PRECONDITION_FAILED,
                None,
            ),
            (Error::AboveCeiling, StatusCode::FORBIDDEN, None),
            (
                Error::NotWhileImpersonating(Sensitive::Email),
                StatusCode::FORBIDDEN,
                None,
            ),
            (
                Error::ImpersonationRefused(Refusal::Privileged),
                StatusCode::FORBIDDEN,
                None,
            ),
            (
                Error::Unavailable("hidden detail".into()),
                StatusCode::SERVICE_UNAVAILABLE,
                None,
            ),
            (
                Error::Internal("hidden detail".into()),
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
            ),
        ];
        for (error, status, scim_type) in cases {
            let shown = format!("{error:?}");
            let answer = from_engine(error);
            assert_eq!(answer.status, status, "{shown}");
            assert_eq!(answer.scim_type, scim_type, "{shown}");
            assert!(!answer.detail.contains("hidden detail"), "{shown}");
        }
    }
}
