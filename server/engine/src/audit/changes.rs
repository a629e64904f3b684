//! What was changed during one impersonation: the audit events that name it, except the
//! session's own bookkeeping (`Impersonation-…`), in the trail's order. My Account's Account
//! activity shows them all; the closing email lists the changes themselves.

use crate::error::Result;
use sqlx::{AnyConnection, Row};

/// One event recorded during an impersonation.
pub(crate) struct RecordedChange {
    pub action: String,
    pub occurred_ms: i64,
    /// JSON text, as stored.
    pub data: String,
}

impl RecordedChange {
    /// A request made with an impersonated token (`resource-…-via-impersonation`), rather than
    /// a change's own event.
    pub fn is_request(&self) -> bool {
        self.action.ends_with("-via-impersonation")
    }
}

/// The events of `impersonation_id`, oldest first (at most 500).
pub(crate) async fn changes_in(
    conn: &mut AnyConnection,
    impersonation_id: &str,
) -> Result<Vec<RecordedChange>> {
    let rows = sqlx::query(
        "SELECT action, occurred_ms, data FROM audit_events \
         WHERE impersonation_id = $1 AND action NOT LIKE 'Impersonation-%' ORDER BY seq LIMIT 500",
    )
    .bind(impersonation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RecordedChange {
                action: row.try_get("action")?,
                occurred_ms: row.try_get("occurred_ms")?,
                data: row.try_get("data")?,
            })
        })
        .collect()
}
