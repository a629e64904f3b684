//! The request an engine call serves: its correlation id (one per HTTP request, on every event it
//! causes and in the audit log line) and, when an impersonated bearer token authorizes it, the
//! facts of that token. Every non-GET request such a token authorizes is audited
//! (`resource-…-via-impersonation`): in the transaction of the change it makes, before the
//! change's own event, or — when it changed nothing of ours — on its own once it is answered
//! ([`crate::Engine::finish_request_audit`]).

use super::{actions, chain};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
pub(crate) use crate::principal::ids_of;
use crate::principal::Principal;

pub use crate::principal::RequestContext;

/// Remembers that an impersonated bearer token authorizes the principal's request.
pub(crate) fn note_principal(principal: &Principal) {
    if principal.actor().is_none() || principal.token().is_none() {
        return;
    }
    if let Some(request) = principal.request() {
        if let Ok(mut slot) = request.impersonated.lock() {
            *slot = Some(principal.clone());
        }
    }
}

/// The contract's action for an HTTP method.
pub fn action_of_method(method: &str) -> &'static str {
    match method {
        "PATCH" => actions::VIA_IMPERSONATION_MODIFICATION,
        "POST" => actions::VIA_IMPERSONATION_CREATION,
        "DELETE" => actions::VIA_IMPERSONATION_DELETION,
        _ => actions::VIA_IMPERSONATION_ACCESS,
    }
}

const REQUEST_ACTIONS: [&str; 4] = [
    actions::VIA_IMPERSONATION_MODIFICATION,
    actions::VIA_IMPERSONATION_CREATION,
    actions::VIA_IMPERSONATION_DELETION,
    actions::VIA_IMPERSONATION_ACCESS,
];

/// The contract's `Data` of a request event, with its keys in the contract's order (which a
/// `serde_json::Value` object would sort).
fn request_data(path: &str, principal: &Principal, impersonator: &str, method: &str) -> String {
    let text = |s: &str| serde_json::Value::from(s).to_string();
    let (client_id, scope) = principal
        .token()
        .map(|t| (t.client_id.as_str(), t.scope.as_str()))
        .unwrap_or_default();
    format!(
        "{{\"ResourcePath\":{},\"clientId\":{},\"subject\":{},\"scope\":{},\"impersonator\":{},\"httpMethod\":{}}}",
        text(path),
        text(client_id),
        text(principal.user_id().as_str()),
        text(scope),
        text(impersonator),
        text(method),
    )
}

/// How a request an impersonated token authorized ended, as its event's `Outcome` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Carried out (the contract's `AUTHORIZED`).
    Authorized,
    /// Refused: the token's user may not do this (403).
    Denied,
    /// Refused as invalid: a bad body, a failed precondition, nothing there (other 4xx).
    Rejected,
    /// We failed (5xx).
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Authorized => "AUTHORIZED",
            Self::Denied => "DENIED",
            Self::Rejected => "REJECTED",
            Self::Failed => "FAILED",
        }
    }

    /// The outcome an HTTP answer's status tells; `None` for 401, where no token authorized
    /// anything.
    pub fn of_status(status: u16) -> Option<Self> {
        match status {
            401 => None,
            403 => Some(Self::Denied),
            400..=499 => Some(Self::Rejected),
            500..=599 => Some(Self::Failed),
            _ => Some(Self::Authorized),
        }
    }
}

/// Writes the current request's event for `principal` (an impersonated token's), unless this
/// request already has one. Outside a request, or for a request that changes nothing, nothing.
/// Called in the transaction of the change the request makes, so its outcome is `AUTHORIZED`.
pub(crate) async fn record_impersonated_request(
    tx: &mut Tx,
    principal: &Principal,
    now: Timestamp,
) -> Result<()> {
    record_request_event(tx, principal, Outcome::Authorized, now).await
}

async fn record_request_event(
    tx: &mut Tx,
    principal: &Principal,
    outcome: Outcome,
    now: Timestamp,
) -> Result<()> {
    let Some(request) = principal.request() else {
        return Ok(());
    };
    let Some(impersonator) = principal.actor() else {
        return Ok(());
    };
    if !request.changes_state() {
        return Ok(());
    }
    let already: Option<i64> = sqlx::query_scalar(
        "SELECT seq FROM audit_events WHERE correlation_id = $1 AND action IN ($2, $3, $4, $5)",
    )
    .bind(&request.correlation_id)
    .bind(REQUEST_ACTIONS[0])
    .bind(REQUEST_ACTIONS[1])
    .bind(REQUEST_ACTIONS[2])
    .bind(REQUEST_ACTIONS[3])
    .fetch_optional(&mut **tx)
    .await?;
    if already.is_some() {
        return Ok(());
    }
    chain::append(
        tx,
        chain::Content {
            occurred_ms: chain::millis_of(now),
            correlation_id: request.correlation_id.clone(),
            caller_correlation_id: request.caller_correlation_id.clone(),
            initiator: impersonator.as_str().to_owned(),
            impersonator: Some(impersonator.as_str().to_owned()),
            impersonation_id: principal.impersonation_id().map(str::to_owned),
            action: action_of_method(&request.method).to_owned(),
            target: principal.user_id().as_str().to_owned(),
            data: request_data(
                &request.path,
                principal,
                impersonator.as_str(),
                &request.method,
            ),
            outcome: outcome.as_str().to_owned(),
            org_id: Some(principal.org_id().as_str().to_owned()),
        },
        now,
    )
    .await
}

impl crate::Engine {
    /// Called once the current request is answered with `status`: when an impersonated token
    /// authorized it and it may change state, but no change of ours recorded it (a refused or
    /// failed change, or a request that changed nothing), its event is written now, with the
    /// outcome the status tells.
    pub async fn finish_request_audit(
        &self,
        request: &RequestContext,
        status: u16,
        now: Timestamp,
    ) -> Result<()> {
        let principal = match request.impersonated.lock() {
            Ok(slot) => slot.clone(),
            Err(_) => None,
        };
        let Some(principal) = principal else {
            return Ok(());
        };
        let Some(outcome) = Outcome::of_status(status) else {
            return Ok(());
        };
        if !request.changes_state() {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        record_request_event(&mut tx, &principal, outcome, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn methods_map_to_the_contracts_actions() {
        assert_eq!(
            super::action_of_method("PATCH"),
            "resource-modification-via-impersonation"
        );
        assert_eq!(
            super::action_of_method("POST"),
            "resource-creation-via-impersonation"
        );
        assert_eq!(
            super::action_of_method("DELETE"),
            "resource-deletion-via-impersonation"
        );
        assert_eq!(
            super::action_of_method("PUT"),
            "resource-access-via-impersonation"
        );
    }
}
