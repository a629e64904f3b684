//! My Account's **Account activity**: every impersonation of the user's account — who, when, for
//! how long, which applications, and what was changed in their name (the changes' audit events,
//! which name the impersonation they were made in). The user's own view: refused to an
//! impersonator while impersonating, who must not read or hide their own traces.

use super::console::ImpersonationRecord;
use super::history::{records_of, Role};
use crate::audit::line;
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::Engine;
use sqlx::Row;

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
        if principal.actor().is_some() {
            return Err(Error::NotWhileImpersonating(
                "While impersonating, you cannot see the user's account activity.",
            ));
        }
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

    /// The changes of one impersonation, in the order they were made: its audit events except
    /// the session's own (`Impersonation-…`).
    pub(crate) async fn changes_made_in(&self, impersonation_id: &str) -> Result<Vec<ChangeMade>> {
        let rows = sqlx::query(
            "SELECT action, occurred_ms, data FROM audit_events \
             WHERE impersonation_id = $1 AND action NOT LIKE 'Impersonation-%' ORDER BY seq LIMIT 500",
        )
        .bind(impersonation_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let action: String = row.try_get("action")?;
                let data: String = row.try_get("data")?;
                let detail = if action.ends_with("-via-impersonation") {
                    request_detail(&data)
                } else {
                    String::new()
                };
                Ok(ChangeMade {
                    time: line::timestamp(row.try_get("occurred_ms")?),
                    action,
                    detail,
                })
            })
            .collect()
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
