//! Verifying the chain: every event in sequence, none missing, each chained to its predecessor's
//! hash and matching its own content, and the last one the chain head names. The first event that
//! fails is named, so an edit, a deletion or a reordering by hand is found and located.

use super::chain::{self, content_of_row, CONTENT_COLUMNS, GENESIS};
use crate::access::ConsoleAdmin;
use crate::error::Result;
use crate::permissions::Permission;
use crate::{Db, Engine};
use sqlx::Row;

/// What is wrong at the first broken place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// The event with this number is gone (deleted, or its number changed).
    Missing,
    /// The event's content or number is not what was hashed (edited, or moved to another place).
    Altered,
    /// The event is not chained to the hash its predecessor has now (the predecessor was
    /// replaced, hash and all).
    Unlinked,
    /// A row outside the chain (no number, or beyond the head): inserted by hand.
    Inserted,
}

impl Break {
    pub fn describe(&self) -> &'static str {
        match self {
            Break::Missing => "is missing",
            Break::Altered => "was altered: its content no longer matches its hash",
            Break::Unlinked => "is not chained to the event before it",
            Break::Inserted => "was inserted outside the chain",
        }
    }
}

/// The result of a verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// How many events were checked and found sound.
    pub verified: i64,
    /// The first broken event (its sequence number) and what is wrong there.
    pub first_break: Option<(i64, Break)>,
}

impl Report {
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }

    /// One sentence for a person.
    pub fn summary(&self) -> String {
        match &self.first_break {
            None => format!(
                "The audit trail is intact: {} events verified.",
                self.verified
            ),
            Some((seq, problem)) => format!(
                "The audit trail is broken: event #{seq} {} ({} events before it verified).",
                problem.describe(),
                self.verified
            ),
        }
    }
}

const BATCH: i64 = 2000;

/// Walks the whole chain, oldest first, in batches.
pub async fn verify_chain(db: &Db) -> Result<Report> {
    let head = sqlx::query("SELECT last_seq, last_hash FROM audit_chain WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    let head_seq: i64 = head.try_get("last_seq")?;
    let head_hash: String = head.try_get("last_hash")?;
    let stray: Option<i64> = sqlx::query_scalar(
        "SELECT COALESCE(seq, 0) FROM audit_events WHERE seq IS NULL OR seq > $1 \
         ORDER BY seq LIMIT 1",
    )
    .bind(head_seq)
    .fetch_optional(db.pool())
    .await?;
    let mut expected = 1_i64;
    let mut prev_hash = GENESIS.to_owned();
    loop {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CONTENT_COLUMNS} FROM audit_events WHERE seq >= $1 AND seq <= $2 \
             ORDER BY seq LIMIT {BATCH}"
        )))
        .bind(expected)
        .bind(head_seq)
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let seq: i64 = row.try_get("seq")?;
            let broken = |problem| Report {
                verified: expected - 1,
                first_break: Some(problem),
            };
            if seq != expected {
                return Ok(broken((expected, Break::Missing)));
            }
            let stored_prev: Option<String> = row.try_get("prev_hash")?;
            let stored_hash: Option<String> = row.try_get("hash")?;
            let content = content_of_row(&row)?;
            if stored_hash.as_deref() != Some(chain::link(&prev_hash, seq, &content).as_str()) {
                // Is this event itself altered or moved, or is it intact but chained to a
                // predecessor that was rewritten hash and all (then the predecessor is the one)?
                let self_consistent = stored_prev.as_deref().is_some_and(|p| {
                    stored_hash.as_deref() == Some(chain::link(p, seq, &content).as_str())
                });
                return Ok(if self_consistent && seq > 1 {
                    Report {
                        verified: expected - 2,
                        first_break: Some((seq - 1, Break::Altered)),
                    }
                } else if self_consistent {
                    broken((seq, Break::Unlinked))
                } else {
                    broken((seq, Break::Altered))
                });
            }
            prev_hash = stored_hash.unwrap_or_default();
            expected += 1;
        }
    }
    let verified = expected - 1;
    if verified < head_seq {
        return Ok(Report {
            verified,
            first_break: Some((expected, Break::Missing)),
        });
    }
    if prev_hash != head_hash {
        // The last event was rewritten, hash and all: the head still holds the hash it had.
        return Ok(Report {
            verified: (verified - 1).max(0),
            first_break: Some((verified.max(1), Break::Altered)),
        });
    }
    if let Some(seq) = stray {
        return Ok(Report {
            verified,
            first_break: Some((seq, Break::Inserted)),
        });
    }
    Ok(Report {
        verified,
        first_break: None,
    })
}

impl Engine {
    /// The Console's **Verify integrity** on the Logs page. Needs `internal_audit_log_view`, in the
    /// root organization: the chain is one for the whole tree, and a break names events of every
    /// organization.
    pub async fn verify_audit_trail(&self, admin: &ConsoleAdmin) -> Result<Report> {
        admin.require(Permission::AuditLogView)?;
        let mut conn = self.db.pool().acquire().await?;
        if !crate::organizations::tree::is_root(&mut conn, admin.org()).await? {
            return Err(crate::Error::Refused(
                "The audit trail's integrity is verified in the root organization's Console.",
            ));
        }
        drop(conn);
        verify_chain(&self.db).await
    }

    /// The `verify-audit` command: no principal, the operator runs it on the server.
    pub async fn verify_audit_trail_as_operator(&self) -> Result<Report> {
        verify_chain(&self.db).await
    }
}
