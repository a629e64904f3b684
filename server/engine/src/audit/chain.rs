//! The hash chain: every event gets the next sequence number and a hash over the previous event's
//! hash and its own canonical content, under the chain head's row lock. The lock is held until the
//! writing transaction commits, so sequence order is commit order — on SQLite (one writer) and on
//! PostgreSQL with several nodes alike — and the sequence has no gaps.

use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::Db;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::time::{SystemTime, UNIX_EPOCH};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an event says, apart from its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Content {
    pub occurred_ms: i64,
    pub correlation_id: String,
    /// The caller's own `X-Correlation-ID`, kept beside the chain: its claim, not ours, so not
    /// hashed.
    pub caller_correlation_id: Option<String>,
    pub initiator: String,
    pub impersonator: Option<String>,
    pub impersonation_id: Option<String>,
    pub action: String,
    pub target: String,
    /// JSON text, stored and hashed as written.
    pub data: String,
    pub outcome: String,
    /// The organization the event belongs to; `None` for the root's events from before events
    /// named one.
    pub org_id: Option<String>,
}

/// The columns [`content_of_row`] reads, in SQL.
pub(crate) const CONTENT_COLUMNS: &str =
    "seq, occurred_ms, correlation_id, initiator, impersonator, \
     impersonation_id, action, target, data, outcome, org_id, prev_hash, hash";

pub(crate) fn content_of_row(row: &sqlx::any::AnyRow) -> Result<Content> {
    Ok(Content {
        occurred_ms: row.try_get("occurred_ms")?,
        correlation_id: row.try_get("correlation_id")?,
        caller_correlation_id: None,
        initiator: row.try_get("initiator")?,
        impersonator: row.try_get("impersonator")?,
        impersonation_id: row.try_get("impersonation_id")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        data: row.try_get("data")?,
        outcome: row.try_get("outcome")?,
        org_id: row.try_get("org_id")?,
    })
}

/// The hash of the event at `seq` with `content`, chained to `prev_hash`. The canonical form is a
/// JSON array in a fixed order, so no field can be moved into another undetected.
pub fn link(prev_hash: &str, seq: i64, content: &Content) -> String {
    let mut canonical = serde_json::json!([
        seq,
        content.occurred_ms,
        content.correlation_id,
        content.initiator,
        content.impersonator,
        content.impersonation_id,
        content.action,
        content.target,
        content.data,
        content.outcome,
    ]);
    // The organization joins the canonical form only when there is one, so every event hashed
    // before events named one still verifies.
    if let (Some(org), Some(fields)) = (&content.org_id, canonical.as_array_mut()) {
        fields.push(serde_json::Value::String(org.clone()));
    }
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

/// `now` in milliseconds. The engine's clock has whole seconds (tests move it); the wall clock's
/// milliseconds are added when it agrees on the second, for the log line's `,mmm`. The order of
/// events is `seq`, never this.
pub fn millis_of(now: Timestamp) -> i64 {
    let wall = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    if wall / 1000 == now.0 {
        wall
    } else {
        now.0.saturating_mul(1000)
    }
}

/// Takes the next place in the chain: locks the head (the row lock lasts until the caller's
/// transaction ends) and returns the new sequence number and the previous event's hash.
async fn take_next(tx: &mut Tx) -> Result<(i64, String)> {
    let row = sqlx::query(
        "UPDATE audit_chain SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok((row.try_get("last_seq")?, row.try_get("last_hash")?))
}

async fn set_head_hash(tx: &mut Tx, hash: &str) -> Result<()> {
    sqlx::query("UPDATE audit_chain SET last_hash = $1 WHERE id = 1")
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends one event in the caller's transaction.
pub(crate) async fn append(tx: &mut Tx, content: Content, now: Timestamp) -> Result<()> {
    let (seq, prev_hash) = take_next(tx).await?;
    let hash = link(&prev_hash, seq, &content);
    sqlx::query(
        "INSERT INTO audit_events (id, occurred_at, occurred_ms, seq, correlation_id, initiator, \
         impersonator, impersonation_id, action, target, data, outcome, prev_hash, hash, org_id, \
         caller_correlation_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(now.0)
    .bind(content.occurred_ms)
    .bind(seq)
    .bind(&content.correlation_id)
    .bind(&content.initiator)
    .bind(&content.impersonator)
    .bind(&content.impersonation_id)
    .bind(&content.action)
    .bind(&content.target)
    .bind(&content.data)
    .bind(&content.outcome)
    .bind(&prev_hash)
    .bind(&hash)
    .bind(&content.org_id)
    .bind(&content.caller_correlation_id)
    .execute(&mut **tx)
    .await?;
    set_head_hash(tx, &hash).await
}

/// Chains the events written before the chain existed (migration 0008), oldest first. Idempotent:
/// a start with nothing unchained costs one read; several nodes starting at once serialize on the
/// head's lock and the later ones find nothing left.
pub(crate) async fn seal_unchained(db: &Db) -> Result<()> {
    let unchained: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE seq IS NULL")
        .fetch_one(db.pool())
        .await?;
    if unchained == 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let (mut seq, mut prev_hash) = take_next(&mut tx).await?;
    // `take_next` reserved a number; the loop below uses it for the first row.
    seq -= 1;
    let rows = sqlx::query(
        "SELECT id, occurred_at, initiator, impersonator, action, target, data, outcome \
         FROM audit_events WHERE seq IS NULL ORDER BY occurred_at, id",
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in rows {
        seq += 1;
        let id: String = row.try_get("id")?;
        let content = Content {
            occurred_ms: row.try_get::<i64, _>("occurred_at")?.saturating_mul(1000),
            correlation_id: String::new(),
            caller_correlation_id: None,
            initiator: row.try_get("initiator")?,
            impersonator: row.try_get("impersonator")?,
            impersonation_id: None,
            action: row.try_get("action")?,
            target: row.try_get("target")?,
            data: row.try_get("data")?,
            outcome: row.try_get("outcome")?,
            org_id: None,
        };
        let hash = link(&prev_hash, seq, &content);
        sqlx::query(
            "UPDATE audit_events SET seq = $1, occurred_ms = $2, correlation_id = $3, \
             prev_hash = $4, hash = $5 WHERE id = $6",
        )
        .bind(seq)
        .bind(content.occurred_ms)
        .bind(&content.correlation_id)
        .bind(&prev_hash)
        .bind(&hash)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        prev_hash = hash;
    }
    sqlx::query("UPDATE audit_chain SET last_seq = $1, last_hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&prev_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> Content {
        Content {
            occurred_ms: 1_717_426_242_298,
            correlation_id: "c".into(),
            caller_correlation_id: None,
            initiator: "a".into(),
            impersonator: None,
            impersonation_id: None,
            action: "Add-User".into(),
            target: "t".into(),
            data: "{}".into(),
            outcome: "Success".into(),
            org_id: None,
        }
    }

    #[test]
    fn the_hash_covers_the_place_the_predecessor_and_every_field() {
        let base = link(GENESIS, 1, &content());
        assert_ne!(base, link(GENESIS, 2, &content()));
        assert_ne!(base, link(&base, 1, &content()));
        let mut moved = content();
        moved.initiator = String::new();
        moved.target = "at".into();
        assert_ne!(base, link(GENESIS, 1, &moved));
        assert_eq!(base, link(GENESIS, 1, &content()));
        // The organization is covered once there is one; without one, the hash is as it was.
        let mut in_org = content();
        in_org.org_id = Some("o".into());
        assert_ne!(base, link(GENESIS, 1, &in_org));
    }
}
