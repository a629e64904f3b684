//! What a user's page in the Console shows beside the profile: the roles they hold (with each
//! role's audience), their active sessions (each of which an administrator can end), when they
//! last signed in (from the audit trail, the record of every sign-in), and their second factors.

use super::get_by_id;
use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::factors::SecondFactors;
use crate::ids::UserId;
use crate::permissions::Permission;
use crate::secrets::digest;
use crate::session_end::{self, Ending};
use crate::Engine;
use serde_json::json;
use sqlx::Row;

/// A role a user holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldRole {
    pub id: String,
    pub name: String,
    /// The application the role is for, by name; `None` for an organization role.
    pub application: Option<String>,
}

/// One of a user's signed-in browsers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveSession {
    /// Names the session to end it. Derived from the stored hash, never the hash itself: the
    /// Console never sees what the database keys sessions by.
    pub handle: String,
    pub signed_in_at: Timestamp,
    pub expires_at: Timestamp,
    /// Whether someone is impersonating another user in it right now.
    pub impersonating: bool,
}

/// What a user's page shows beside the profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserOverview {
    pub roles: Vec<HeldRole>,
    pub sessions: Vec<ActiveSession>,
    pub last_sign_in: Option<Timestamp>,
    /// Their authenticator app and recovery codes.
    pub second_factors: SecondFactors,
}

fn handle_of(session_hash: &str) -> String {
    digest(&format!("session-handle:{session_hash}"))[..24].to_owned()
}

impl Engine {
    /// The user's roles, active sessions and last sign-in. Needs `internal_user_mgt_view`.
    pub async fn user_overview(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        now: Timestamp,
    ) -> Result<UserOverview> {
        admin.require(Permission::UserView)?;
        let mut tx = self.db.begin().await?;
        let user = get_by_id(&mut tx, admin.org(), id).await?;
        let roles = sqlx::query(
            "SELECT r.id, r.name, a.name AS application FROM role_assignments ra \
             JOIN roles r ON r.id = ra.role_id \
             LEFT JOIN applications a ON a.id = r.audience_key \
             WHERE ra.user_id = $1 ORDER BY r.name, r.id",
        )
        .bind(user.id.as_str())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| {
            Ok(HeldRole {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                application: row.try_get("application")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let sessions = sqlx::query(
            "SELECT s.id_hash, s.auth_time, s.expires_at, \
             (SELECT COUNT(*) FROM impersonations i WHERE i.session_hash = s.id_hash AND i.ended_at IS NULL) AS impersonating \
             FROM sessions s WHERE s.user_id = $1 AND s.expires_at > $2 ORDER BY s.auth_time DESC",
        )
        .bind(user.id.as_str())
        .bind(now.0)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| {
            Ok(ActiveSession {
                handle: handle_of(&row.try_get::<String, _>("id_hash")?),
                signed_in_at: Timestamp(row.try_get("auth_time")?),
                expires_at: Timestamp(row.try_get("expires_at")?),
                impersonating: row.try_get::<i64, _>("impersonating")? > 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let last_sign_in: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(occurred_at) FROM audit_events WHERE target = $1 AND action = $2 AND outcome = 'Success'",
        )
        .bind(user.id.as_str())
        .bind(actions::SIGN_IN)
        .fetch_one(&mut *tx)
        .await?;
        let second_factors = crate::factors::store::second_factors(&mut tx, &user.id).await?;
        tx.commit().await?;
        Ok(UserOverview {
            roles,
            sessions,
            last_sign_in: last_sign_in.map(Timestamp),
            second_factors,
        })
    }

    /// Ends one of the user's sessions (the browser must sign in again), with what was obtained
    /// through it, as a sign-out would. Needs `internal_user_mgt_update`, and the user within the
    /// administrator's ceiling; audited.
    pub async fn end_user_session(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        handle: &str,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::UserUpdate)?;
        let mut tx = self.db.begin().await?;
        let user = get_by_id(&mut tx, admin.org(), id).await?;
        ceiling::ensure(&mut tx, admin.principal(), &user.id, Operation::Status).await?;
        let hashes: Vec<String> =
            sqlx::query_scalar("SELECT id_hash FROM sessions WHERE user_id = $1")
                .bind(user.id.as_str())
                .fetch_all(&mut *tx)
                .await?;
        let hash = hashes
            .into_iter()
            .find(|h| handle_of(h) == handle)
            .ok_or(Error::NotFound("session"))?;
        session_end::end(&mut tx, Ending::Session(&hash), now).await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::END_USER_SESSION,
                user.id.as_str(),
                json!({ "session": handle }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
