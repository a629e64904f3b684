//! The outbox: messages waiting to be sent, written in the transaction of the change that causes
//! them. The Console lists it, so an organization without SMTP still sees what would be sent.

use super::templates::{Rendered, TemplateType};
use crate::access::ConsoleAdmin;
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::ids::OrgId;
use crate::paging::{Page, PageRequest};
use crate::permissions::Permission;
use crate::Engine;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Not sent yet: due at `next_attempt_at`.
    Pending,
    Sent,
    /// The mail server refused it for good (a bad address, a policy); not tried again.
    Failed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            "failed" => Ok(Self::Failed),
            other => Err(Error::Internal(format!("outbox status {other:?}"))),
        }
    }
}

/// A message to put in the outbox.
pub(crate) struct NewMessage<'a> {
    pub org: &'a OrgId,
    pub kind: TemplateType,
    pub locale: &'a str,
    pub recipient: &'a str,
    pub rendered: Rendered,
    pub impersonation_id: Option<&'a str>,
}

/// Writes `message` in the caller's transaction, due at once. A second message of the same kind
/// for the same impersonation is not written (a unique index decides, whatever races); returns
/// whether this one was.
pub(crate) async fn enqueue(tx: &mut Tx, message: NewMessage<'_>, now: Timestamp) -> Result<bool> {
    let written = sqlx::query(
        "INSERT INTO outbox (id, org_id, kind, locale, recipient, subject, body, impersonation_id, \
         created_at, status, attempts, next_attempt_at, lease_owner, lease_until, last_error, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $9, NULL, NULL, NULL, NULL) \
         ON CONFLICT (impersonation_id, kind) WHERE impersonation_id IS NOT NULL DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(message.org.as_str())
    .bind(message.kind.key())
    .bind(message.locale)
    .bind(message.recipient)
    .bind(&message.rendered.subject)
    .bind(&message.rendered.body)
    .bind(message.impersonation_id)
    .bind(now.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// One message of the outbox, as the Console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: String,
    /// The template type's key.
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub created_at: Timestamp,
    /// When a pending message is tried next.
    pub next_attempt_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// Why the last attempt failed, in a few words of ours.
    pub last_error: Option<String>,
}

/// A message with its body, for the Console's detail view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    pub entry: OutboxEntry,
    pub body: String,
}

const ENTRY_COLUMNS: &str = "id, kind, recipient, subject, status, attempts, created_at, \
     next_attempt_at, sent_at, last_error";

fn entry(row: &AnyRow) -> Result<OutboxEntry> {
    Ok(OutboxEntry {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        recipient: row.try_get("recipient")?,
        subject: row.try_get("subject")?,
        status: OutboxStatus::parse(&row.try_get::<String, _>("status")?)?,
        attempts: row.try_get("attempts")?,
        created_at: Timestamp(row.try_get("created_at")?),
        next_attempt_at: Timestamp(row.try_get("next_attempt_at")?),
        sent_at: row.try_get::<Option<i64>, _>("sent_at")?.map(Timestamp),
        last_error: row.try_get("last_error")?,
    })
}

impl Engine {
    /// The organization's outbox, newest first. Needs `internal_email_mgt_view`.
    pub async fn email_outbox(
        &self,
        admin: &ConsoleAdmin,
        page: PageRequest,
    ) -> Result<Page<OutboxEntry>> {
        admin.require(Permission::EmailView)?;
        let org = admin.org().as_str();
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE org_id = $1")
            .bind(org)
            .fetch_one(self.db.pool())
            .await?;
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox WHERE org_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org)
            .bind(page.limit())
            .bind(page.offset())
            .fetch_all(self.db.pool())
            .await?;
        let items = rows.iter().map(entry).collect::<Result<Vec<_>>>()?;
        Ok(page.of(items, total))
    }

    /// One message of the organization's outbox, with its body. Needs `internal_email_mgt_view`.
    pub async fn email_outbox_message(
        &self,
        admin: &ConsoleAdmin,
        id: &str,
    ) -> Result<OutboxMessage> {
        admin.require(Permission::EmailView)?;
        let sql = format!("SELECT {ENTRY_COLUMNS}, body FROM outbox WHERE org_id = $1 AND id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(admin.org().as_str())
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(Error::NotFound("message"))?;
        Ok(OutboxMessage {
            entry: entry(&row)?,
            body: row.try_get("body")?,
        })
    }
}
