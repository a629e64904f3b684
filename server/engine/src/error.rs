//! The engine's one error type. Web layers map it once to HTTP statuses or UI errors.

use crate::users::status::UserStatus;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with a field's value, for the wire formats that tell kinds apart (SCIM answers a
/// taken value 409 `uniqueness`, any other 400 `invalidValue`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Not acceptable as written (format, length, range, a rule about the value).
    Invalid,
    /// Acceptable, but another record already has it.
    Taken,
    /// Longer than the field allows.
    TooLong,
}

/// A problem with one input field, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
    pub kind: FieldKind,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
            kind: FieldKind::Invalid,
        }
    }

    /// The value is longer than the field allows.
    pub fn too_long(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind: FieldKind::TooLong,
            ..Self::new(field, message)
        }
    }

    /// The value is taken by another record.
    pub fn taken(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind: FieldKind::Taken,
            ..Self::new(field, message)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input failed validation or conflicts with existing data; one entry per field.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// No valid session.
    #[error("not signed in")]
    Unauthenticated,
    /// Signed in, but lacking the permission named.
    #[error("permission denied: {0}")]
    Forbidden(&'static str),
    /// Signed in, but holding no role that reaches the Console.
    #[error("not a Console administrator")]
    NotAdministrator,
    #[error("invalid username or password")]
    InvalidCredentials,
    #[error("account is {0:?}")]
    AccountInactive(UserStatus),
    #[error("too many failed attempts; retry in {retry_after_secs} s")]
    Throttled { retry_after_secs: i64 },
    /// A rule the caller cannot fix by changing input (e.g. removing the last administrator).
    #[error("{0}")]
    Refused(&'static str),
    /// The client's precondition (SCIM `If-Match`) names a version that is no longer current.
    #[error("the resource changed since the version the client named")]
    PreconditionFailed,
    /// The target user holds privileges the actor does not hold (see [`crate::ceiling`]): no
    /// change to them, whatever scope the actor's token carries.
    #[error("the user holds privileges you do not hold")]
    AboveCeiling,
    /// Something only the user may do to their own account (credentials, email, deletion, …),
    /// attempted by someone impersonating them (see [`crate::ceiling::sensitive`]).
    #[error("{}", .0.message())]
    NotWhileImpersonating(crate::ceiling::refusals::Sensitive),
    /// An impersonation the guardrails do not allow (see [`crate::ceiling::impersonation`]).
    #[error("impersonation refused: {0:?}")]
    ImpersonationRefused(crate::ceiling::refusals::Refusal),
    /// The database failed (unreachable, timed out, locked, …). Never read as "not signed in" or
    /// "not allowed": callers answer 503 and log the detail under a reference.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Any other failure of ours. Never shown to users; logged with a reference.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<crate::ceiling::refusals::Refusal> for Error {
    fn from(r: crate::ceiling::refusals::Refusal) -> Self {
        Error::ImpersonationRefused(r)
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Self::Unavailable(format!("database: {e}"))
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Internal(format!("migration: {e}"))
    }
}

/// For `map_err` on a write: a violated unique constraint becomes a field error on `field` (the
/// value is taken), any other failure stays internal.
pub(crate) fn conflict_on(
    field: &'static str,
    message: impl Into<String>,
) -> impl FnOnce(sqlx::Error) -> Error {
    move |e| {
        if is_unique_violation(&e) {
            Error::Invalid(vec![FieldError::taken(field, message)])
        } else {
            e.into()
        }
    }
}

/// True when `e` is a violation of the named unique constraint (both backends name it in the message
/// or report it as a unique violation on that index).
fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}
