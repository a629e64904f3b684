//! The one error type that crosses to the browser. It never carries database text: internal
//! failures carry only a reference to the server log entry.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one form field, shown next to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("You are not signed in.")]
    NotSignedIn,
    #[error("You are not an administrator.")]
    NotAdministrator,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("The {0} was not found.")]
    NotFound(String),
    #[error("Some fields need attention.")]
    Invalid(Vec<FieldError>),
    /// A rule refused the action; the message explains which.
    #[error("{0}")]
    Refused(String),
    /// The Console of a session that is impersonating someone: it is paused until the
    /// impersonation stops, so nothing is done in it under the user's name by mistake.
    #[error(
        "The Console is paused while you impersonate a user: stop impersonating to return to it."
    )]
    ConsolePaused,
    #[error("Too many attempts; try again in {0} seconds.")]
    Throttled(i64),
    #[error("Something went wrong on the server (reference {reference}).")]
    Internal { reference: String },
    /// The database failed: nothing was decided about the caller (not "signed out", not
    /// "not an administrator"); trying again later may work.
    #[error("The service is temporarily unavailable; try again shortly (reference {reference}).")]
    Unavailable { reference: String },
    /// The request did not reach the server or its answer could not be read.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    /// The message for one field, if the error names it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Invalid(fields) => fields
                .iter()
                .find(|f| f.field == name)
                .map(|f| f.message.clone()),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(m)
            | ServerFnErrorErr::Deserialization(m)
            | ServerFnErrorErr::Serialization(m) => Self::Transport(m),
            other => Self::Transport(other.to_string()),
        }
    }
}
