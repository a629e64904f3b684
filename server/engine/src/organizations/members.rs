//! Who belongs to an organization: its resident users, and users of an organization above it
//! invited in (shared users: their credentials stay at home, their roles there are the child's).

use super::tree::is_within;
use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{OrgId, UserId};
use crate::permissions::Permission;
use crate::Engine;
use serde_json::json;
use sqlx::AnyConnection;

/// Whether `user` is resident in `org` or was invited into it.
pub(crate) async fn is_member(
    conn: &mut AnyConnection,
    user: &UserId,
    org: &OrgId,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM users WHERE id = $1 AND org_id = $2 \
         UNION SELECT 1 FROM organization_members WHERE user_id = $1 AND org_id = $2",
    )
    .bind(user.as_str())
    .bind(org.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

impl Engine {
    /// Invites `username`, resident in an organization above `org`, into `org` (below the
    /// administrator's own). Needs `internal_organization_update`.
    pub async fn invite_parent_user(
        &self,
        admin: &ConsoleAdmin,
        org: &OrgId,
        username: &str,
        now: Timestamp,
    ) -> Result<UserId> {
        admin.require(Permission::OrganizationUpdate)?;
        self.ensure_reaches(admin, org).await?;
        let mut conn = self.db.pool().acquire().await?;
        let found: Option<(String, String)> =
            sqlx::query_as("SELECT id, org_id FROM users WHERE username_key = $1 AND org_id = $2")
                .bind(username.trim().to_lowercase())
                .bind(admin.org().as_str())
                .fetch_optional(&mut *conn)
                .await?;
        let Some((user, home)) = found else {
            return Err(Error::invalid(
                "username",
                "No user of your organization has this username.",
            ));
        };
        let home = OrgId::from_db(home);
        if &home == org || !is_within(&mut conn, &home, org).await? {
            return Err(Error::invalid(
                "username",
                "Only a user of an organization above this one can be invited into it.",
            ));
        }
        drop(conn);
        let user = UserId::from_db(user);
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO organization_members (org_id, user_id, invited_by, invited_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(org.as_str())
        .bind(user.as_str())
        .bind(admin.principal().user_id().as_str())
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::INVITE_PARENT_USER,
                user.as_str(),
                json!({ "organization": org.as_str() }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }
}
