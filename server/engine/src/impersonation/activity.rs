//! My Account's **Account activity**: every impersonation of the user's account — who, when, for
//! how long, which applications, and what was changed in their name (the changes' audit events,
//! which name the impersonation they were made in). The user's own view: refused to an
//! impersonator while impersonating, who must not read or hide their own traces.

use super::console::ImpersonationRecord;
use super::history::{records_of, Role};
use crate::audit::changes::changes_in;
use crate::audit::line;
use crate::ceiling::sensitive::{self, Sensitive};
use crate::error::Result;
use crate::principal::Principal;
use crate::Engine;

/// A change made in the user's name during an impersonation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeMade {
    /// The audit action (`Set-User-Claim-Values`, …).
    pub action: String,
    /// UTC, as in the audit log (`2024-06-03 14:50:42,298`).
    pub time: String,
    /// The request's path and method when a business application made it, else empty.
    pub detail: String,
}

/// One impersonation of the user's account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountImpersonation {
    pub record: ImpersonationRecord,
    pub changes: Vec<ChangeMade>,
}

impl Engine {
    /// The user's impersonations, newest first, each with what it changed.
    pub async fn account_activity(
        &self,
        principal: &Principal,
    ) -> Result<Vec<AccountImpersonation>> {
        sensitive::ensure_allowed(principal, principal.user_id(), &[Sensitive::ActivityView])?;
        let records = records_of(
            &self.db,
            principal.org_id(),
            principal.user_id(),
            Role::Subject,
        )
        .await?;
        let mut activity = Vec::with_capacity(records.len());
        for record in records {
            let changes = self.changes_made_in(&record.id).await?;
            activity.push(AccountImpersonation { record, changes });
        }
        Ok(activity)
    }

    /// The changes of one impersonation, in the order they were made (see [`changes_in`]).
    async fn changes_made_in(&self, impersonation_id: &str) -> Result<Vec<ChangeMade>> {
        let mut conn = self.db.pool().acquire().await?;
        Ok(changes_in(&mut conn, impersonation_id)
            .await?
            .into_iter()
            .map(|c| ChangeMade {
                time: line::timestamp(c.occurred_ms),
                detail: if c.is_request() {
                    request_detail(&c.data)
                } else {
                    String::new()
                },
                action: c.action,
            })
            .collect())
    }
}

/// `PATCH /scim2/Me` from a request event's data.
fn request_detail(data: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(data) else {
        return String::new();
    };
    let field = |k: &str| {
        value
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    format!("{} {}", field("httpMethod"), field("ResourcePath"))
        .trim()
        .to_owned()
}
