//! Reading impersonation records: the Console's list on a user's page and the user's own
//! **Account activity**.

use super::console::ImpersonationRecord;
use super::records::EndReason;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::ids::{OrgId, UserId};
use crate::Db;
use sqlx::Row;

/// Which side of the impersonation the user is on.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Role {
    /// Impersonator or impersonated (the Console's view of a user).
    EitherSide,
    /// Impersonated only (the user's own view).
    Subject,
}

/// The newest 100 impersonations of `user` in `org`, newest first, with the applications each
/// entered.
pub(crate) async fn records_of(
    db: &Db,
    org: &OrgId,
    user: &UserId,
    role: Role,
) -> Result<Vec<ImpersonationRecord>> {
    let side = match role {
        Role::EitherSide => "(i.impersonator_id = $2 OR i.subject_id = $2)",
        Role::Subject => "i.subject_id = $2",
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.impersonator_id, a.username AS impersonator_username, i.subject_id, \
         s.username AS subject_username, i.started_at, i.expires_at, i.ended_at, i.end_reason, \
         i.reason, i.ticket \
         FROM impersonations i LEFT JOIN users a ON a.id = i.impersonator_id \
         LEFT JOIN users s ON s.id = i.subject_id \
         WHERE i.org_id = $1 AND {side} \
         ORDER BY i.started_at DESC, i.id LIMIT 100"
    )))
    .bind(org.as_str())
    .bind(user.as_str())
    .fetch_all(db.pool())
    .await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        let applications: Vec<String> = sqlx::query_scalar(
            "SELECT app_name FROM impersonation_applications WHERE impersonation_id = $1 \
             ORDER BY first_entered_at, app_name",
        )
        .bind(&id)
        .fetch_all(db.pool())
        .await?;
        records.push(ImpersonationRecord {
            id,
            impersonator_id: UserId::from_db(row.try_get("impersonator_id")?),
            impersonator_username: row.try_get("impersonator_username")?,
            subject_id: UserId::from_db(row.try_get("subject_id")?),
            subject_username: row.try_get("subject_username")?,
            started_at: Timestamp(row.try_get("started_at")?),
            expires_at: Timestamp(row.try_get("expires_at")?),
            ended_at: row.try_get::<Option<i64>, _>("ended_at")?.map(Timestamp),
            end_reason: row
                .try_get::<Option<String>, _>("end_reason")?
                .as_deref()
                .and_then(EndReason::parse),
            reason: row.try_get("reason")?,
            ticket: row.try_get("ticket")?,
            applications,
        });
    }
    Ok(records)
}
