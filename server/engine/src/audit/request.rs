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
use crate::principal::Principal;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// One HTTP request, as the audit trail sees it.
#[derive(Debug)]
pub struct RequestContext {
    correlation_id: String,
    method: String,
    path: String,
    /// The impersonated token's principal, once one authorized the request.
    impersonated: Mutex<Option<Principal>>,
}

impl RequestContext {
    /// `correlation_id` is the caller's (a validated `X-Correlation-ID`) or a new one.
    pub fn new(correlation_id: Option<String>, method: &str, path: &str) -> Arc<Self> {
        Arc::new(Self {
            correlation_id: correlation_id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            impersonated: Mutex::new(None),
        })
    }

    pub fn correlation_id(&self) -> &str {
        &self.correlation_id
    }

    /// Only requests that may change something are audited: GET (and HEAD, OPTIONS) never are.
    fn changes_state(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }
}

tokio::task_local! {
    static REQUEST: Arc<RequestContext>;
}

/// Runs `work` as part of `request`: every audit event it writes carries the request's
/// correlation id.
pub async fn within<F: Future>(request: Arc<RequestContext>, work: F) -> F::Output {
    REQUEST.scope(request, work).await
}

/// The current request's correlation id; a fresh one for work outside any request (a background
/// task, a command).
pub(crate) fn correlation_id() -> String {
    REQUEST
        .try_with(|r| r.correlation_id.clone())
        .unwrap_or_else(|_| uuid::Uuid::new_v4().to_string())
}

/// Remembers that an impersonated bearer token authorizes the current request.
pub(crate) fn note_principal(principal: &Principal) {
    if principal.actor().is_none() || principal.token().is_none() {
        return;
    }
    let _ = REQUEST.try_with(|r| {
        if let Ok(mut slot) = r.impersonated.lock() {
            *slot = Some(principal.clone());
        }
    });
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

/// Writes the current request's event for `principal` (an impersonated token's), unless this
/// request already has one. Outside a request, or for a request that changes nothing, nothing.
pub(crate) async fn record_impersonated_request(
    tx: &mut Tx,
    principal: &Principal,
    now: Timestamp,
) -> Result<()> {
    let Ok(request) = REQUEST.try_with(Arc::clone) else {
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
            outcome: "AUTHORIZED".to_owned(),
            org_id: Some(principal.org_id().as_str().to_owned()),
        },
        now,
    )
    .await
}

impl crate::Engine {
    /// Called once the current request is answered: when an impersonated token authorized it and
    /// it may change state, but no change of ours recorded it (a failed change, or a request
    /// that changed nothing), its event is written now. `authorized` is false for a request the
    /// token turned out not to be allowed (401/403): that one was not authorized.
    pub async fn finish_request_audit(&self, authorized: bool, now: Timestamp) -> Result<()> {
        let Ok(request) = REQUEST.try_with(Arc::clone) else {
            return Ok(());
        };
        let principal = match request.impersonated.lock() {
            Ok(slot) => slot.clone(),
            Err(_) => None,
        };
        let Some(principal) = principal else {
            return Ok(());
        };
        if !authorized || !request.changes_state() {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        record_impersonated_request(&mut tx, &principal, now).await?;
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
