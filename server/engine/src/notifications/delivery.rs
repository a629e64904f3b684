//! Delivering the outbox. A worker claims one due message with a lease, hands it to a
//! [`MailTransport`], and marks it sent — only if the lease is still its own. On failure the
//! message waits (exponential backoff, capped) and anyone may claim it again.
//!
//! At most one delivery per message, across restarts and nodes: a claim is one statement that
//! re-checks the lease on the row it updates (on PostgreSQL the row lock makes a second claimer
//! re-evaluate and find it leased; SQLite has one writer), and nobody claims a leased message
//! until its lease runs out — longer than a send may take. One window is unavoidable with SMTP:
//! if a node dies after the mail server accepted the message but before the node marked it sent
//! (or the database stays unreachable for the rest of the lease; a shorter outage only delays the
//! record, see [`Engine::settle_while_leased`]), the lease runs out and the message is sent again.
//! The stable `Message-ID` lets mail systems and readers recognize that duplicate.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::Engine;
use std::future::Future;
use std::time::Duration;

/// How long a claim lasts: longer than a transport may take for one message.
pub const LEASE_SECS: i64 = 120;
/// How often a node tries again to record a delivery the database could not take.
const SETTLE_RETRY: Duration = Duration::from_millis(500);
/// Recording stops this long before the lease ends, so that a record never lands on a claim that
/// has passed to another node.
const SETTLE_MARGIN_SECS: i64 = 10;
/// The first retry waits this long; each further failure doubles it, up to [`BACKOFF_MAX_SECS`].
pub const BACKOFF_FIRST_SECS: i64 = 10;
pub const BACKOFF_MAX_SECS: i64 = 3600;

/// One message, as a transport sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMail {
    pub from: String,
    pub to: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// `<outbox-id@domain>`: the same for every attempt at the same message.
    pub message_id: String,
}

/// Why a send failed, in our own words (never the server's text, which may echo anything).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendFailure {
    /// The mail server could not be reached or the connection broke (refused, DNS, TLS,
    /// timeout): tried again later.
    Unreachable,
    /// The server refused for now (a 4xx reply): tried again later.
    TemporarilyRejected,
    /// The server refused for good (a 5xx reply: unknown mailbox, policy): not tried again.
    Rejected,
    /// The message could not be built (an address the transport cannot use): not tried again.
    InvalidMessage,
}

impl SendFailure {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreachable => "mail server unreachable",
            Self::TemporarilyRejected => "mail server refused temporarily",
            Self::Rejected => "mail server rejected the message",
            Self::InvalidMessage => "invalid address",
        }
    }

    pub fn is_permanent(self) -> bool {
        matches!(self, Self::Rejected | Self::InvalidMessage)
    }
}

/// Sends one message (SMTP in the server; a recorder in tests).
pub trait MailTransport: Send + Sync {
    fn send(
        &self,
        mail: &OutgoingMail,
    ) -> impl Future<Output = std::result::Result<(), SendFailure>> + Send;
}

/// Who delivers: the node's name (for leases) and the sender address.
#[derive(Clone, Debug)]
pub struct Deliverer {
    pub node: String,
    pub from: String,
}

/// What one delivery attempt did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    Sent {
        id: String,
    },
    /// Will be tried again at `next_attempt_at`.
    Deferred {
        id: String,
        failure: SendFailure,
        next_attempt_at: Timestamp,
    },
    /// Refused for good.
    Failed {
        id: String,
        failure: SendFailure,
    },
}

/// A claimed message.
#[derive(Clone, Debug)]
pub struct Claim {
    pub id: String,
    /// This claim's own lease (unique per claim, so an expired claim of ours is not mistaken for a
    /// newer one).
    pub lease: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// The wait before the attempt after `attempts` failures.
pub fn backoff_secs(attempts: i64) -> i64 {
    let doublings = u32::try_from((attempts - 1).clamp(0, 20)).unwrap_or(20);
    BACKOFF_FIRST_SECS
        .saturating_mul(2_i64.saturating_pow(doublings))
        .min(BACKOFF_MAX_SECS)
}

/// A stable Message-ID for outbox message `id`, in the sender's domain.
pub fn message_id(id: &str, from: &str) -> String {
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').trim())
        .filter(|d| !d.is_empty())
        .unwrap_or("guise.invalid");
    format!("<{id}@{domain}>")
}

impl Engine {
    /// Claims the oldest due message that nobody holds, for [`LEASE_SECS`]; `None` when nothing is
    /// due (or another node claimed it first).
    pub async fn claim_outbox_message(&self, node: &str, now: Timestamp) -> Result<Option<Claim>> {
        let lease = format!("{node}/{}", uuid::Uuid::new_v4().simple());
        // The outer conditions repeat the inner ones: of two claimers that picked the same row,
        // the second re-checks after the first's update and claims nothing.
        let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
            "UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $3 \
                 AND (lease_until IS NULL OR lease_until <= $3) ORDER BY created_at, id LIMIT 1) \
             AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $3) \
             RETURNING id, recipient, subject, body, attempts",
        )
        .bind(&lease)
        .bind(now.plus_secs(LEASE_SECS).0)
        .bind(now.0)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.map(|(id, recipient, subject, body, attempts)| Claim {
            id,
            lease,
            recipient,
            subject,
            body,
            attempts,
        }))
    }

    /// Records the outcome of the claimed attempt, if the claim is still ours; returns whether it
    /// was (a claim that outlived its lease records nothing).
    pub async fn settle_outbox_message(
        &self,
        claim: &Claim,
        outcome: std::result::Result<(), SendFailure>,
        now: Timestamp,
    ) -> Result<bool> {
        // Every statement: $1 the id, $2 the lease (ours, or nothing changes), then its values.
        let query = match outcome {
            Ok(()) => sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = $3, lease_owner = NULL, \
                 lease_until = NULL, last_error = NULL WHERE id = $1 AND lease_owner = $2",
            )
            .bind(&claim.id)
            .bind(&claim.lease)
            .bind(now.0),
            Err(failure) if failure.is_permanent() => sqlx::query(
                "UPDATE outbox SET status = 'failed', last_error = $3, lease_owner = NULL, \
                 lease_until = NULL WHERE id = $1 AND lease_owner = $2",
            )
            .bind(&claim.id)
            .bind(&claim.lease)
            .bind(failure.as_str()),
            Err(failure) => sqlx::query(
                "UPDATE outbox SET last_error = $3, next_attempt_at = $4, lease_owner = NULL, \
                 lease_until = NULL WHERE id = $1 AND lease_owner = $2",
            )
            .bind(&claim.id)
            .bind(&claim.lease)
            .bind(failure.as_str())
            .bind(now.plus_secs(backoff_secs(claim.attempts)).0),
        };
        Ok(query.execute(self.db.pool()).await?.rows_affected() == 1)
    }

    /// [`Engine::settle_outbox_message`], tried again while the storage is unavailable and the
    /// lease still ours. Once the mail server has accepted a message, losing the record of it means
    /// sending it again when the lease runs out: so a short database outage (a restart, a failover)
    /// after a send delays the record instead of duplicating the message. Only a node that dies
    /// after the send, or an outage longer than the rest of the lease, leaves the window open.
    async fn settle_while_leased(
        &self,
        claim: &Claim,
        outcome: std::result::Result<(), SendFailure>,
        now: Timestamp,
        claimed_at: tokio::time::Instant,
    ) -> Result<bool> {
        let give_up = claimed_at + Duration::from_secs((LEASE_SECS - SETTLE_MARGIN_SECS) as u64);
        loop {
            match self.settle_outbox_message(claim, outcome, now).await {
                Err(Error::Unavailable(detail)) if tokio::time::Instant::now() < give_up => {
                    tracing::warn!("recording delivery of {}: {detail}; trying again", claim.id);
                    tokio::time::sleep(SETTLE_RETRY).await;
                }
                settled => return settled,
            }
        }
    }

    /// Delivers the oldest due message through `transport`: claim, send, settle. `None` when
    /// nothing is due.
    #[tracing::instrument(name = "deliver", skip_all)]
    pub async fn deliver_next<T: MailTransport>(
        &self,
        deliverer: &Deliverer,
        transport: &T,
        now: Timestamp,
    ) -> Result<Option<Attempt>> {
        let Some(claim) = self.claim_outbox_message(&deliverer.node, now).await? else {
            return Ok(None);
        };
        let mail = OutgoingMail {
            from: deliverer.from.clone(),
            to: claim.recipient.clone(),
            subject: claim.subject.clone(),
            body: claim.body.clone(),
            message_id: message_id(&claim.id, &deliverer.from),
        };
        let claimed_at = tokio::time::Instant::now();
        let outcome = transport.send(&mail).await;
        self.settle_while_leased(&claim, outcome, now, claimed_at)
            .await?;
        if let Err(failure) = outcome {
            metrics::counter!(
                crate::figures::counters::DELIVERY_FAILURES,
                "permanent" => if failure.is_permanent() { "true" } else { "false" },
            )
            .increment(1);
        }
        let id = claim.id;
        Ok(Some(match outcome {
            Ok(()) => Attempt::Sent { id },
            Err(failure) if failure.is_permanent() => Attempt::Failed { id, failure },
            Err(failure) => Attempt::Deferred {
                id,
                failure,
                next_attempt_at: now.plus_secs(backoff_secs(claim.attempts)),
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_secs(1), 10);
        assert_eq!(backoff_secs(2), 20);
        assert_eq!(backoff_secs(4), 80);
        assert_eq!(backoff_secs(50), BACKOFF_MAX_SECS);
    }

    #[test]
    fn message_ids_are_stable_and_in_the_senders_domain() {
        assert_eq!(
            message_id("abc", "Guise <no-reply@id.example.com>"),
            "<abc@id.example.com>"
        );
        assert_eq!(message_id("abc", "nobody"), "<abc@guise.invalid>");
    }
}
