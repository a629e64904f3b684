//! Impersonation records: binding an impersonation to its SSO session, ending it, and noting the
//! applications it entered. Every write here happens in the caller's transaction, beside the grant
//! or sign-out it belongs to.

use crate::applications::Application;
use crate::audit::{self, impersonation::SessionEvent};
use crate::ceiling::refusals::Refusal;
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::ids::{OrgId, UserId};
use crate::notifications;
use crate::principal::Impersonating;
use crate::session_end::grants::{self as ending, Revocation};
use sqlx::{AnyConnection, Row};

pub use super::end_reason::EndReason;

/// The live impersonation of an SSO session.
#[derive(Clone, Debug)]
pub(crate) struct Live {
    pub id: String,
    pub subject: UserId,
    pub started_at: Timestamp,
    pub expires_at: Timestamp,
}

impl Live {
    pub fn reference(&self) -> Impersonating {
        Impersonating {
            id: self.id.clone(),
            started_at: self.started_at,
            expires_at: self.expires_at,
        }
    }
}

/// The session's live impersonation, if any (one at most: a unique index keeps it so).
pub(crate) async fn live_of_session(
    conn: &mut AnyConnection,
    session_hash: &str,
) -> Result<Option<Live>> {
    let row = sqlx::query(
        "SELECT id, subject_id, started_at, expires_at FROM impersonations \
         WHERE session_hash = $1 AND ended_at IS NULL",
    )
    .bind(session_hash)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| -> Result<Live> {
        Ok(Live {
            id: r.try_get("id")?,
            subject: UserId::from_db(r.try_get("subject_id")?),
            started_at: Timestamp(r.try_get("started_at")?),
            expires_at: Timestamp(r.try_get("expires_at")?),
        })
    })
    .transpose()
}

/// Takes the SSO session's row for the transaction with a write that changes nothing, before the
/// transaction reads anything: concurrent requests binding the session take turns, and a SQLite
/// transaction never has to upgrade a read into a write (which fails at once instead of waiting).
pub(crate) async fn hold_session(tx: &mut Tx, session_hash: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET expires_at = expires_at WHERE id_hash = $1")
        .bind(session_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What starting an impersonation needs: the session, who, whom, through which application.
pub(crate) struct Begin<'a> {
    pub session_hash: &'a str,
    pub org: &'a OrgId,
    pub impersonator: &'a UserId,
    pub subject: &'a UserId,
    pub via: &'a Application,
    /// The deployment's hard limit, in seconds from now (the organization's may be shorter).
    pub limit_secs: i64,
    /// Why, as the impersonator said.
    pub justification: &'a super::Justification,
    /// The request that starts it, if any: its event carries that request's correlation id.
    pub request: Option<&'a crate::audit::request::RequestContext>,
}

/// Makes the session an impersonation session for `subject`, or finds that it already is one for
/// that subject. A session impersonating someone else is refused: one subject per SSO session.
/// The impersonation ends at the limit or with the session, whichever comes first.
pub(crate) async fn begin(tx: &mut Tx, b: Begin<'_>, now: Timestamp) -> Result<Live> {
    if let Some(live) = live_of_session(tx, b.session_hash).await? {
        if live.expires_at.0 > now.0 && &live.subject == b.subject {
            return Ok(live);
        }
        if live.expires_at.0 > now.0 {
            return Err(Refusal::SecondSubject.into());
        }
        // Over its limit but not yet ended by the purge: end it now, then begin afresh.
        end(
            tx,
            Which::Session(b.session_hash),
            EndReason::TimeLimit,
            now,
        )
        .await?;
    }
    let session_end: i64 =
        sqlx::query_scalar("SELECT expires_at FROM sessions WHERE id_hash = $1 AND user_id = $2")
            .bind(b.session_hash)
            .bind(b.impersonator.as_str())
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(Error::Unauthenticated)?;
    // The organization's own limit, when it set a shorter one.
    let limit_secs = match super::policy::load(tx, b.org).await?.hard_limit_minutes {
        Some(minutes) => b.limit_secs.min(minutes * 60),
        None => b.limit_secs,
    };
    let live = Live {
        id: uuid::Uuid::new_v4().to_string(),
        subject: b.subject.clone(),
        started_at: now,
        expires_at: Timestamp((now.0 + limit_secs).min(session_end)),
    };
    // Of requests racing to bind the same session, one inserts; the others find its row.
    let inserted = sqlx::query(
        "INSERT INTO impersonations (id, org_id, session_hash, impersonator_id, subject_id, started_via, \
         started_at, expires_at, ended_at, end_reason, notified_at, reason, ticket) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, NULL, $9, $10) \
         ON CONFLICT (session_hash) WHERE ended_at IS NULL DO NOTHING",
    )
    .bind(&live.id)
    .bind(b.org.as_str())
    .bind(b.session_hash)
    .bind(b.impersonator.as_str())
    .bind(b.subject.as_str())
    .bind(b.via.id.as_str())
    .bind(now.0)
    .bind(live.expires_at.0)
    .bind(b.justification.reason.as_deref())
    .bind(b.justification.ticket.as_deref())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        audit::impersonation::started(
            tx,
            SessionEvent {
                org: b.org,
                impersonation_id: Some(&live.id),
                impersonator: b.impersonator.as_str(),
                subject: b.subject.as_str(),
                data: serde_json::json!({
                    "clientId": b.via.client_id,
                    "application": b.via.name,
                    "expiresAt": live.expires_at.to_rfc3339(),
                    "reason": b.justification.reason,
                    "ticket": b.justification.ticket,
                }),
                request: b.request,
            },
            now,
        )
        .await?;
        notifications::impersonation::notify_started(tx, &live.id, now).await?;
        return Ok(live);
    }
    match live_of_session(tx, b.session_hash).await? {
        Some(theirs) if &theirs.subject == b.subject => Ok(theirs),
        _ => Err(Refusal::SecondSubject.into()),
    }
}

/// Notes that the impersonation signed into `app` (the first time only).
pub(crate) async fn record_entry(
    tx: &mut Tx,
    impersonation_id: &str,
    app: &Application,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO impersonation_applications (impersonation_id, app_id, app_name, first_entered_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (impersonation_id, app_id) DO NOTHING",
    )
    .bind(impersonation_id)
    .bind(app.id.as_str())
    .bind(&app.name)
    .bind(now.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Which live impersonations end.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Which<'a> {
    /// The one of a session (SHA-256 of its token).
    Session(&'a str),
    /// Those whose session has expired.
    SessionsExpired,
    /// Those past their hard limit.
    OverLimit,
    /// Those in which a user is the impersonator or the subject.
    OfUser(&'a UserId),
    /// Those begun in an organization.
    InOrganization(&'a OrgId),
    /// Every live one, in every organization.
    Everywhere,
}

/// Ends the impersonations `which` names, revoking every grant made under them (so every token
/// minted there dies: introspection says inactive, refresh fails). Returns how many ended.
pub(crate) async fn end(
    tx: &mut Tx,
    which: Which<'_>,
    reason: EndReason,
    now: Timestamp,
) -> Result<u64> {
    // $1 is the time, $2 the optional parameter of the condition.
    let (condition, parameter) = match which {
        Which::Session(hash) => ("session_hash = $2", Some(hash)),
        Which::SessionsExpired => (
            "session_hash IN (SELECT id_hash FROM sessions WHERE expires_at <= $1)",
            None,
        ),
        Which::OverLimit => ("expires_at <= $1", None),
        Which::OfUser(user) => (
            "(impersonator_id = $2 OR subject_id = $2)",
            Some(user.as_str()),
        ),
        Which::InOrganization(org) => ("org_id = $2", Some(org.as_str())),
        Which::Everywhere => ("1 = 1", None),
    };
    ending::revoke(
        tx,
        Revocation::UnderImpersonations {
            condition,
            parameter,
        },
        now,
    )
    .await?;
    let ended = close(tx, condition, parameter, reason, now).await?;
    for id in &ended {
        notifications::impersonation::notify_ended(tx, id, now).await?;
    }
    Ok(ended.len() as u64)
}

/// Closes the live impersonations matching `condition` (`$1` the time, `$2` its parameter), each
/// with its audit event, and returns their ids.
async fn close(
    tx: &mut Tx,
    condition: &str,
    parameter: Option<&str>,
    reason: EndReason,
    now: Timestamp,
) -> Result<Vec<String>> {
    // An impersonation over its limit ended at the limit, whenever this runs.
    let close = format!(
        "UPDATE impersonations SET ended_at = CASE WHEN expires_at < $1 THEN expires_at ELSE $1 END, \
         end_reason = '{}' WHERE ended_at IS NULL AND {condition} \
         RETURNING id, org_id, impersonator_id, subject_id, ended_at",
        reason.as_str()
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(close)).bind(now.0);
    if let Some(p) = parameter {
        query = query.bind(p);
    }
    let closed = query.fetch_all(&mut **tx).await?;
    let mut ids = Vec::with_capacity(closed.len());
    for row in &closed {
        let id: String = row.try_get("id")?;
        let impersonator: String = row.try_get("impersonator_id")?;
        let subject: String = row.try_get("subject_id")?;
        let ended_at: i64 = row.try_get("ended_at")?;
        let org = OrgId::from_db(row.try_get("org_id")?);
        audit::impersonation::ended(
            tx,
            reason,
            SessionEvent {
                org: &org,
                impersonation_id: Some(&id),
                impersonator: &impersonator,
                subject: &subject,
                data: serde_json::json!({
                    "reason": reason.as_str(),
                    "endedAt": Timestamp(ended_at).to_rfc3339(),
                }),
                // An ending is named by its impersonation; many have no request (the limit, an
                // expired session).
                request: None,
            },
            now,
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}
