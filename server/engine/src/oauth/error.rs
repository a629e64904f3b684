//! OAuth 2.0 errors (RFC 6749 §4.1.2.1, §5.2; OIDC Core §3.1.2.6; RFC 8693 §2.2.2).

use crate::error::Error;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct OAuthError {
    pub code: &'static str,
    pub description: String,
}

macro_rules! codes {
    ($($fn_name:ident => $code:literal),* $(,)?) => {
        impl OAuthError {
            $(pub fn $fn_name(description: impl Into<String>) -> Self {
                Self { code: $code, description: description.into() }
            })*
        }
    };
}

codes! {
    invalid_request => "invalid_request",
    invalid_client => "invalid_client",
    invalid_grant => "invalid_grant",
    unauthorized_client => "unauthorized_client",
    unsupported_grant_type => "unsupported_grant_type",
    unsupported_response_type => "unsupported_response_type",
    invalid_scope => "invalid_scope",
    invalid_target => "invalid_target",
    access_denied => "access_denied",
    login_required => "login_required",
    consent_required => "consent_required",
    invalid_token => "invalid_token",
    insufficient_scope => "insufficient_scope",
    server_error => "server_error",
}

impl OAuthError {
    /// HTTP status at the token endpoint: 401 for client authentication, 500 for our failures,
    /// 400 otherwise.
    pub fn status(&self) -> u16 {
        match self.code {
            "invalid_client" | "invalid_token" => 401,
            "insufficient_scope" => 403,
            "server_error" => 500,
            _ => 400,
        }
    }
}

/// Infrastructure failures become `server_error` with no detail; the detail goes to the log.
impl From<Error> for OAuthError {
    fn from(e: Error) -> Self {
        match e {
            Error::Internal(detail) | Error::Unavailable(detail) => {
                tracing::error!("oauth: {detail}");
                Self::server_error("The server could not complete the request.")
            }
            Error::InvalidCredentials => Self::invalid_client("Client authentication failed."),
            Error::ImpersonationRefused(refusal) => refusal.oauth_error(),
            other => {
                tracing::error!("oauth: unexpected {other}");
                Self::server_error("The server could not complete the request.")
            }
        }
    }
}

impl From<sqlx::Error> for OAuthError {
    fn from(e: sqlx::Error) -> Self {
        Error::from(e).into()
    }
}
