//! What an operator watches, counted from the database when the metrics are read (they are the
//! same whichever node answers) or counted as it happens (per node, summed by Prometheus).

use crate::clock::Timestamp;
use crate::error::Result;
use crate::Engine;

/// The cluster's state now, from the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    /// Sign-in sessions not yet expired.
    pub active_sessions: i64,
    /// Impersonations not ended and within their time limit.
    pub active_impersonations: i64,
    /// Messages waiting to be delivered.
    pub outbox_pending: i64,
    /// Messages the mail server refused for good.
    pub outbox_failed: i64,
    /// The audit trail's last sequence number.
    pub audit_head: i64,
    /// This node's database connections: open, and of those idle.
    pub pool_connections: u32,
    pub pool_idle: usize,
}

/// Names of the counters recorded where things happen.
pub mod counters {
    /// Tokens issued at the token endpoint, by `grant_type` and `organization` (id).
    pub const TOKENS_ISSUED: &str = "guise_tokens_issued_total";
    /// Password sign-ins, by `outcome` (`success`, `failure`) and, for failures, `reason`.
    pub const SIGN_INS: &str = "guise_sign_ins_total";
    /// Outbox deliveries that failed, by `permanent` (`true`: refused for good).
    pub const DELIVERY_FAILURES: &str = "guise_outbox_delivery_failures_total";
}

impl Engine {
    /// One round of cheap counts (each over an indexed column or a small table).
    pub async fn figures(&self, now: Timestamp) -> Result<Figures> {
        let pool = self.db.pool();
        let count = |sql: &'static str| async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(now.0)
                .fetch_one(pool)
                .await
        };
        Ok(Figures {
            active_sessions: count("SELECT COUNT(*) FROM sessions WHERE expires_at > $1").await?,
            active_impersonations: count(
                "SELECT COUNT(*) FROM impersonations WHERE ended_at IS NULL AND expires_at > $1",
            )
            .await?,
            outbox_pending: count(
                "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND created_at <= $1",
            )
            .await?,
            outbox_failed: count(
                "SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND created_at <= $1",
            )
            .await?,
            audit_head: sqlx::query_scalar::<_, i64>("SELECT last_seq FROM audit_chain")
                .fetch_optional(pool)
                .await?
                .unwrap_or(0),
            pool_connections: pool.size(),
            pool_idle: pool.num_idle(),
        })
    }
}
