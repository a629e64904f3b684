//! Sign-ins, successful or not: who (the user, or the name typed when it names nobody), from which
//! address, into which application, and why a failure failed. Never the password.

use super::{actions, mask, request, AuditEvent};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::{OrgId, UserId};

/// One sign-in attempt.
pub(crate) struct Attempt<'a> {
    pub org: &'a OrgId,
    /// The user the name and password named, when they named one.
    pub user: Option<&'a UserId>,
    /// The name as typed (masked in the event).
    pub username: &'a str,
    pub address: &'a str,
    /// The application the sign-in is for, when the login page was sent one.
    pub application: Option<&'a str>,
    pub request: Option<&'a request::RequestContext>,
    /// The second factor the user proved, after the password (`authenticator_app`,
    /// `recovery_code`), or the one that failed.
    pub second_factor: Option<&'static str>,
}

/// Why a sign-in failed, as its event says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The name or the password is wrong (which, is never said).
    InvalidCredentials,
    Locked,
    Disabled,
    Throttled,
    /// The password was right; the second factor's code was wrong or already used.
    InvalidSecondFactor,
}

impl Failure {
    fn as_str(self) -> &'static str {
        match self {
            Self::InvalidCredentials => "invalid_credentials",
            Self::Locked => "locked",
            Self::Disabled => "disabled",
            Self::Throttled => "throttled",
            Self::InvalidSecondFactor => "invalid_second_factor",
        }
    }
}

/// Records the attempt: `failure` is `None` for a sign-in that succeeded.
pub(crate) async fn record(
    tx: &mut Tx,
    attempt: &Attempt<'_>,
    failure: Option<Failure>,
    now: Timestamp,
) -> Result<()> {
    let masked = mask(attempt.username.trim());
    let who = attempt
        .user
        .map_or_else(|| masked.clone(), |u| u.as_str().to_owned());
    let mut data = serde_json::json!({
        "username": masked,
        "address": attempt.address,
        "application": attempt.application,
    });
    if let Some(factor) = attempt.second_factor {
        data["secondFactor"] = serde_json::json!(factor);
    }
    if let Some(failure) = failure {
        data["reason"] = serde_json::json!(failure.as_str());
    }
    let outcome = if failure.is_some() {
        "Failure"
    } else {
        "Success"
    };
    // Counted with its event: every attempt is recorded here, whatever its outcome.
    metrics::counter!(
        crate::figures::counters::SIGN_INS,
        "outcome" => if failure.is_some() { "failure" } else { "success" },
        "reason" => failure.map_or("", Failure::as_str),
    )
    .increment(1);
    let event = AuditEvent {
        outcome,
        org: Some(attempt.org),
        request: attempt.request,
        ..AuditEvent::success(&who, actions::SIGN_IN, &who, data)
    };
    super::record(tx, event, now).await
}
