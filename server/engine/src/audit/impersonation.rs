//! The impersonation sessions' own events: started, refused, stopped, expired or otherwise ended.
//! Started and ended are written in the transaction that starts or ends the session; a refusal,
//! which changes nothing, in a transaction of its own.

use super::{actions, request, AuditEvent};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::{OrgId, UserId};
use crate::impersonation::end_reason::EndReason;
use crate::Db;

/// One impersonation session's event.
pub(crate) struct SessionEvent<'a> {
    /// The organization the impersonation is in.
    pub org: &'a OrgId,
    pub impersonation_id: Option<&'a str>,
    pub impersonator: &'a str,
    pub subject: &'a str,
    pub data: serde_json::Value,
    /// The request it happened in, if any.
    pub request: Option<&'a request::RequestContext>,
}

async fn write(
    tx: &mut Tx,
    action: &str,
    outcome: &str,
    e: SessionEvent<'_>,
    now: Timestamp,
) -> Result<()> {
    // The session's own events are the impersonator's acts, not acts in the user's name: no
    // impersonator beside the initiator.
    let event = AuditEvent {
        outcome,
        impersonation_id: e.impersonation_id,
        org: Some(e.org),
        request: e.request,
        ..AuditEvent::success(e.impersonator, action, e.subject, e.data)
    };
    super::record(tx, event, now).await
}

pub(crate) async fn started(tx: &mut Tx, e: SessionEvent<'_>, now: Timestamp) -> Result<()> {
    write(tx, actions::IMPERSONATION_STARTED, "Success", e, now).await
}

/// The action an ending is recorded as.
fn action_of_end(reason: EndReason) -> &'static str {
    match reason {
        EndReason::Stopped => actions::IMPERSONATION_STOPPED,
        EndReason::TimeLimit | EndReason::SessionExpired => actions::IMPERSONATION_EXPIRED,
        EndReason::SignedOut | EndReason::AccountChanged | EndReason::EndedByAdministrator => {
            actions::IMPERSONATION_ENDED
        }
    }
}

pub(crate) async fn ended(
    tx: &mut Tx,
    reason: EndReason,
    e: SessionEvent<'_>,
    now: Timestamp,
) -> Result<()> {
    write(tx, action_of_end(reason), "Success", e, now).await
}

/// An attempt to impersonate that was refused.
pub(crate) struct Attempt<'a> {
    pub org: &'a OrgId,
    pub impersonator: &'a UserId,
    pub subject: &'a str,
    /// The application it aimed at.
    pub via_client_id: &'a str,
    /// The request it came in, if any.
    pub request: Option<&'a request::RequestContext>,
}

/// A refused attempt to impersonate, with the reason shown to the impersonator.
pub(crate) async fn refused(
    db: &Db,
    attempt: Attempt<'_>,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin().await?;
    write(
        &mut tx,
        actions::IMPERSONATION_REFUSED,
        "Failure",
        SessionEvent {
            org: attempt.org,
            impersonation_id: None,
            impersonator: attempt.impersonator.as_str(),
            subject: attempt.subject,
            data: serde_json::json!({ "clientId": attempt.via_client_id, "reason": reason }),
            request: attempt.request,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
