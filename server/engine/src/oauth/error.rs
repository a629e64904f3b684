//! OAuth 2.0 errors (RFC 6749 §4.1.2.1, §5.2; OIDC Core §3.1.2.6; RFC 8693 §2.2.2).

use crate::error::Error;

/// The error codes of the specifications, one table from variant to wire name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    InvalidScope,
    InvalidTarget,
    AccessDenied,
    LoginRequired,
    ConsentRequired,
    InvalidToken,
    InsufficientScope,
    ServerError,
    /// Our storage is unreachable: try again shortly (503, with `Retry-After`).
    TemporarilyUnavailable,
}

impl ErrorCode {
    /// Every code, for the mapping's tests.
    pub const ALL: [Self; 15] = [
        Self::InvalidRequest,
        Self::InvalidClient,
        Self::InvalidGrant,
        Self::UnauthorizedClient,
        Self::UnsupportedGrantType,
        Self::UnsupportedResponseType,
        Self::InvalidScope,
        Self::InvalidTarget,
        Self::AccessDenied,
        Self::LoginRequired,
        Self::ConsentRequired,
        Self::InvalidToken,
        Self::InsufficientScope,
        Self::ServerError,
        Self::TemporarilyUnavailable,
    ];

    /// The code as the wire carries it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidTarget => "invalid_target",
            Self::AccessDenied => "access_denied",
            Self::LoginRequired => "login_required",
            Self::ConsentRequired => "consent_required",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
        }
    }

    /// A failure of ours, not of the request or its token: never to be read as "invalid".
    pub fn is_ours(self) -> bool {
        matches!(self, Self::ServerError | Self::TemporarilyUnavailable)
    }

    /// HTTP status at the token endpoint and for a bearer token's resource: 401 for client or
    /// token authentication, 403 for a scope the token lacks, 500 for our failures (503 when the
    /// storage is unreachable), 400 otherwise.
    pub fn status(self) -> u16 {
        match self {
            Self::InvalidClient | Self::InvalidToken => 401,
            Self::InsufficientScope => 403,
            Self::ServerError => 500,
            Self::TemporarilyUnavailable => 503,
            Self::InvalidRequest
            | Self::InvalidGrant
            | Self::UnauthorizedClient
            | Self::UnsupportedGrantType
            | Self::UnsupportedResponseType
            | Self::InvalidScope
            | Self::InvalidTarget
            | Self::AccessDenied
            | Self::LoginRequired
            | Self::ConsentRequired => 400,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So that a test can say `assert_eq!(e.code, "invalid_grant")`, as the wire does.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct OAuthError {
    pub code: ErrorCode,
    pub description: String,
}

macro_rules! codes {
    ($($fn_name:ident => $code:ident),* $(,)?) => {
        impl OAuthError {
            $(pub fn $fn_name(description: impl Into<String>) -> Self {
                Self { code: ErrorCode::$code, description: description.into() }
            })*
        }
    };
}

codes! {
    invalid_request => InvalidRequest,
    invalid_client => InvalidClient,
    invalid_grant => InvalidGrant,
    unauthorized_client => UnauthorizedClient,
    unsupported_grant_type => UnsupportedGrantType,
    unsupported_response_type => UnsupportedResponseType,
    invalid_scope => InvalidScope,
    invalid_target => InvalidTarget,
    access_denied => AccessDenied,
    login_required => LoginRequired,
    consent_required => ConsentRequired,
    invalid_token => InvalidToken,
    insufficient_scope => InsufficientScope,
    server_error => ServerError,
    temporarily_unavailable => TemporarilyUnavailable,
}

impl OAuthError {
    /// HTTP status of the error (see [`ErrorCode::status`]).
    pub fn status(&self) -> u16 {
        self.code.status()
    }
}

/// Infrastructure failures become `temporarily_unavailable` (storage) or `server_error` with no
/// detail; the detail goes to the log.
impl From<Error> for OAuthError {
    fn from(e: Error) -> Self {
        match e {
            Error::Unavailable(detail) => {
                tracing::error!("oauth: {detail}");
                Self::temporarily_unavailable("The service is temporarily unavailable; try again.")
            }
            Error::Internal(detail) => {
                tracing::error!("oauth: {detail}");
                Self::server_error("The server could not complete the request.")
            }
            Error::InvalidCredentials => Self::invalid_client("Client authentication failed."),
            Error::ImpersonationRefused(refusal) => refusal.oauth_error(),
            Error::AccountInactive(_) => Self::invalid_grant("The user's account is not active."),
            // The protocol code decides these itself; one reaching here is a bug of ours.
            Error::Invalid(_)
            | Error::NotFound(_)
            | Error::Unauthenticated
            | Error::Forbidden(_)
            | Error::NotAdministrator
            | Error::Throttled { .. }
            | Error::Refused(_)
            | Error::PreconditionFailed
            | Error::AboveCeiling
            | Error::NotWhileImpersonating(_) => {
                tracing::error!("oauth: unexpected {e:?}");
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

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_has_its_wire_name_and_status() {
        let names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
        assert_eq!(ErrorCode::InvalidClient.status(), 401);
        assert_eq!(ErrorCode::InvalidToken.status(), 401);
        assert_eq!(ErrorCode::InsufficientScope.status(), 403);
        assert_eq!(ErrorCode::ServerError.status(), 500);
        assert_eq!(ErrorCode::TemporarilyUnavailable.status(), 503);
        assert_eq!(ErrorCode::InvalidGrant.status(), 400);
        assert_eq!(ErrorCode::InvalidGrant, "invalid_grant");
    }

    #[test]
    fn engine_errors_become_the_protocols_codes_and_never_show_our_detail() {
        use super::OAuthError;
        use crate::ceiling::refusals::Refusal;
        use crate::error::Error;
        let cases = [
            (
                Error::Unavailable("database: x".into()),
                ErrorCode::TemporarilyUnavailable,
            ),
            (
                Error::Internal("hidden detail".into()),
                ErrorCode::ServerError,
            ),
            (Error::InvalidCredentials, ErrorCode::InvalidClient),
            (
                Error::ImpersonationRefused(Refusal::SecondSubject),
                ErrorCode::InvalidRequest,
            ),
            (
                Error::ImpersonationRefused(Refusal::Inactive),
                ErrorCode::AccessDenied,
            ),
            (
                Error::AccountInactive(crate::users::UserStatus::Disabled),
                ErrorCode::InvalidGrant,
            ),
            (Error::AboveCeiling, ErrorCode::ServerError),
        ];
        for (error, code) in cases {
            let e = OAuthError::from(error);
            assert_eq!(e.code, code);
            assert!(!e.description.contains("hidden detail"));
        }
    }
}
