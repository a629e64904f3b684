//! The emails an impersonated user gets: one when a session on their account starts, one when it
//! ends listing what was changed for them. Both are written to the outbox in the transaction that
//! starts or ends the impersonation, rendered then (a later template edit does not rewrite them).

use super::outbox::{self, NewMessage};
use super::template_admin::{effective, recipient_locale};
use super::templates::{render, TemplateType};
use super::{display_time, settings};
use crate::audit::changes::changes_in;
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::OrgId;
use sqlx::Row;

/// What both emails need of an impersonation.
struct Session {
    id: String,
    org: OrgId,
    started_at: Timestamp,
    ended_at: Option<Timestamp>,
    subject_username: String,
    subject_email: String,
    impersonator_username: String,
    /// Why, as the impersonator said (with the ticket id).
    reason: Option<String>,
}

/// The impersonation, when its subject still exists and has an address to write to.
async fn session(tx: &mut Tx, impersonation_id: &str) -> Result<Option<Session>> {
    let row = sqlx::query(
        "SELECT i.org_id, i.started_at, i.ended_at, i.impersonator_id, i.reason, i.ticket, \
         s.username AS subject_username, s.email AS subject_email, a.username AS impersonator_username \
         FROM impersonations i JOIN users s ON s.id = i.subject_id \
         LEFT JOIN users a ON a.id = i.impersonator_id WHERE i.id = $1",
    )
    .bind(impersonation_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let subject_email: String = row.try_get("subject_email")?;
    if subject_email.trim().is_empty() {
        return Ok(None);
    }
    let impersonator_id: String = row.try_get("impersonator_id")?;
    Ok(Some(Session {
        id: impersonation_id.to_owned(),
        org: OrgId::from_db(row.try_get("org_id")?),
        started_at: Timestamp(row.try_get("started_at")?),
        ended_at: row.try_get::<Option<i64>, _>("ended_at")?.map(Timestamp),
        subject_username: row.try_get("subject_username")?,
        subject_email,
        // A deleted impersonator is still named, by id.
        impersonator_username: row
            .try_get::<Option<String>, _>("impersonator_username")?
            .unwrap_or(impersonator_id),
        reason: crate::impersonation::Justification::new(
            row.try_get::<Option<String>, _>("reason")?.as_deref(),
            row.try_get::<Option<String>, _>("ticket")?.as_deref(),
        )
        .describe(),
    }))
}

async fn notifications_on(tx: &mut Tx, org: &OrgId) -> Result<bool> {
    Ok(settings::load(tx, org.as_str())
        .await?
        .enable_email_notification)
}

async fn enqueue(
    tx: &mut Tx,
    s: &Session,
    kind: TemplateType,
    impersonation_id: &str,
    values: &[(&str, String)],
    now: Timestamp,
) -> Result<bool> {
    let locale = recipient_locale();
    let template = effective(tx, s.org.as_str(), kind, locale).await?;
    let rendered = render(&template.subject, &template.body, values);
    outbox::enqueue(
        tx,
        NewMessage {
            org: &s.org,
            kind,
            locale,
            recipient: &s.subject_email,
            rendered,
            impersonation_id: Some(impersonation_id),
        },
        now,
    )
    .await
}

/// Tells the impersonated user that a session on their account started: once per session (the
/// session's `notified_at`), when the organization's setting is on and the user has an address.
pub(crate) async fn notify_started(
    tx: &mut Tx,
    impersonation_id: &str,
    now: Timestamp,
) -> Result<()> {
    let Some(s) = session(tx, impersonation_id).await? else {
        return Ok(());
    };
    if !notifications_on(tx, &s.org).await? {
        return Ok(());
    }
    let first = sqlx::query(
        "UPDATE impersonations SET notified_at = $2 WHERE id = $1 AND notified_at IS NULL",
    )
    .bind(impersonation_id)
    .bind(now.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if first == 0 {
        return Ok(());
    }
    let values = [
        ("user-name", s.subject_username.clone()),
        ("login-time", display_time(s.started_at)),
        ("impersonator-user-name", s.impersonator_username.clone()),
        (
            "reason",
            s.reason.clone().unwrap_or_else(|| "None given".to_owned()),
        ),
    ];
    enqueue(
        tx,
        &s,
        TemplateType::ImpersonationStarted,
        impersonation_id,
        &values,
        now,
    )
    .await?;
    Ok(())
}

/// Tells the impersonated user that the session ended and what was changed on their behalf: once
/// per session (the outbox's unique index), when the organization's setting is on.
pub(crate) async fn notify_ended(
    tx: &mut Tx,
    impersonation_id: &str,
    now: Timestamp,
) -> Result<()> {
    let Some(s) = session(tx, impersonation_id).await? else {
        return Ok(());
    };
    if !notifications_on(tx, &s.org).await? {
        return Ok(());
    }
    let ended_at = s.ended_at.unwrap_or(now);
    let changes = changes_during(tx, &s).await?;
    let listed = if changes.is_empty() {
        "- No changes were made.".to_owned()
    } else {
        changes
            .iter()
            .map(|(action, at)| format!("- {}: {action}", display_time(*at)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let values = [
        ("user-name", s.subject_username.clone()),
        ("login-time", display_time(s.started_at)),
        ("end-time", display_time(ended_at)),
        ("impersonator-user-name", s.impersonator_username.clone()),
        ("changes", listed),
    ];
    enqueue(
        tx,
        &s,
        TemplateType::ImpersonationEnded,
        impersonation_id,
        &values,
        now,
    )
    .await?;
    Ok(())
}

/// The changes made on the user's behalf during the session: the changes' own events, not the
/// request lines that preceded them (see [`changes_in`]).
async fn changes_during(tx: &mut Tx, s: &Session) -> Result<Vec<(String, Timestamp)>> {
    Ok(changes_in(tx, &s.id)
        .await?
        .into_iter()
        .filter(|c| !c.is_request())
        .map(|c| (c.action, Timestamp(c.occurred_ms / 1000)))
        .collect())
}
