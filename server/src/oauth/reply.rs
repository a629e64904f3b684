//! Protocol responses: JSON that is never cached, and RFC 6749 §5.2 error bodies.

use axum::response::{IntoResponse, Response};
use engine::oauth::OAuthError;
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

/// `200` with a JSON body and `Cache-Control: no-store` (tokens and token metadata).
pub fn json<T: Serialize>(body: &T) -> Response {
    json_with_status(StatusCode::OK, body)
}

pub fn json_with_status<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = match serde_json::to_vec(body) {
        Ok(b) => b,
        Err(_) => {
            return error(&OAuthError::server_error(
                "The response could not be written.",
            ))
        }
    };
    let mut response = (status, bytes).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
}

/// The error as JSON with its status (400, 401 for client authentication, 500).
pub fn error(e: &OAuthError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    json_with_status(
        status,
        &ErrorBody {
            error: e.code.as_str(),
            error_description: &e.description,
        },
    )
}

/// A bearer-token failure at a protected resource (RFC 6750 §3).
pub fn bearer_error(e: &OAuthError) -> Response {
    let mut response = error(e);
    let challenge = format!(
        "Bearer error=\"{}\", error_description=\"{}\"",
        e.code,
        e.description.replace('"', "'")
    );
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}
