//! The kill switch (**Login & Registration > Organization settings > Impersonation**): **End all
//! impersonation sessions** ends every live impersonation of the organization at once, and
//! **Pause impersonation** does the same and refuses new ones until **Resume impersonation**. In
//! the root organization both act in every organization. Every ending goes through the one ending
//! path ([`records::end`]), which revokes every token derived from the impersonations it ends and
//! tells their users; every use of the switch is audited. Needs
//! `internal_impersonation_kill_switch`, in the Console or over the API.

use super::records::{self, EndReason, Which};
use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::UserId;
use crate::organizations::tree::is_root;
use crate::permissions::Permission;
use crate::Engine;
use serde_json::json;
use sqlx::AnyConnection;

/// What the switch shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KillSwitch {
    /// When the organization's own pause began; `None` when it is not paused itself.
    pub paused_at: Option<Timestamp>,
    /// Who paused it (their username, or their id once deleted).
    pub paused_by: Option<String>,
    /// Whether the root organization's pause stops impersonation here too (below the root).
    pub paused_from_root: bool,
    /// The live impersonations the switch would end.
    pub live: u64,
    /// Whether the switch acts in every organization (the root organization's).
    pub everywhere: bool,
}

impl KillSwitch {
    /// Whether no impersonation can start here now.
    pub fn paused(&self) -> bool {
        self.paused_at.is_some() || self.paused_from_root
    }
}

async fn read(
    conn: &mut AnyConnection,
    admin: &ConsoleAdmin,
    now: Timestamp,
) -> Result<KillSwitch> {
    let org = admin.org();
    let everywhere = is_root(conn, org).await?;
    let own: Option<(i64, String)> = sqlx::query_as(
        "SELECT p.paused_at, COALESCE(u.username, p.paused_by) FROM impersonation_pauses p \
         LEFT JOIN users u ON u.id = p.paused_by WHERE p.org_id = $1",
    )
    .bind(org.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let from_root =
        !everywhere && super::pause::refusal(conn, org).await?.is_some() && own.is_none();
    let live: i64 = if everywhere {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM impersonations WHERE ended_at IS NULL AND expires_at > $1",
        )
        .bind(now.0)
        .fetch_one(&mut *conn)
        .await?
    } else {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM impersonations WHERE ended_at IS NULL AND expires_at > $1 AND org_id = $2",
        )
        .bind(now.0)
        .bind(org.as_str())
        .fetch_one(&mut *conn)
        .await?
    };
    Ok(KillSwitch {
        paused_at: own.as_ref().map(|(at, _)| Timestamp(*at)),
        paused_by: own.map(|(_, by)| by),
        paused_from_root: from_root,
        live: u64::try_from(live).unwrap_or(0),
        everywhere,
    })
}

/// Ends the live impersonations the admin's switch reaches, through the one ending.
async fn end_reachable(
    tx: &mut Tx,
    admin: &ConsoleAdmin,
    everywhere: bool,
    now: Timestamp,
) -> Result<u64> {
    let which = if everywhere {
        Which::Everywhere
    } else {
        Which::InOrganization(admin.org())
    };
    records::end(tx, which, EndReason::EndedByAdministrator, now).await
}

fn event<'a>(
    admin: &'a ConsoleAdmin,
    action: &'a str,
    everywhere: bool,
    ended: u64,
) -> AuditEvent<'a> {
    AuditEvent::by_admin(
        admin,
        action,
        admin.org().as_str(),
        json!({ "ended": ended, "everyOrganization": everywhere }),
    )
}

impl Engine {
    /// The organization's kill switch.
    pub async fn kill_switch(&self, admin: &ConsoleAdmin, now: Timestamp) -> Result<KillSwitch> {
        admin.require(Permission::ImpersonationKillSwitch)?;
        let mut conn = self.db.pool().acquire().await?;
        read(&mut conn, admin, now).await
    }

    /// **End all impersonation sessions**: returns how many ended.
    pub async fn end_all_impersonations(
        &self,
        admin: &ConsoleAdmin,
        now: Timestamp,
    ) -> Result<u64> {
        admin.require(Permission::ImpersonationKillSwitch)?;
        let mut tx = self.db.begin().await?;
        let everywhere = is_root(&mut tx, admin.org()).await?;
        let ended = end_reachable(&mut tx, admin, everywhere, now).await?;
        audit::record(
            &mut tx,
            event(admin, actions::END_ALL_IMPERSONATIONS, everywhere, ended),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// **Pause impersonation** (every live one ends, and none starts until resumed) or **Resume
    /// impersonation**. Pausing a paused organization changes nothing but ends what runs.
    pub async fn set_impersonation_paused(
        &self,
        admin: &ConsoleAdmin,
        paused: bool,
        now: Timestamp,
    ) -> Result<KillSwitch> {
        admin.require(Permission::ImpersonationKillSwitch)?;
        let mut tx = self.db.begin().await?;
        let everywhere = is_root(&mut tx, admin.org()).await?;
        let by: &UserId = admin.principal().acting_user();
        let (action, ended) = if paused {
            sqlx::query(
                "INSERT INTO impersonation_pauses (org_id, paused_at, paused_by) VALUES ($1, $2, $3) \
                 ON CONFLICT (org_id) DO NOTHING",
            )
            .bind(admin.org().as_str())
            .bind(now.0)
            .bind(by.as_str())
            .execute(&mut *tx)
            .await?;
            let ended = end_reachable(&mut tx, admin, everywhere, now).await?;
            (actions::PAUSE_IMPERSONATION, ended)
        } else {
            sqlx::query("DELETE FROM impersonation_pauses WHERE org_id = $1")
                .bind(admin.org().as_str())
                .execute(&mut *tx)
                .await?;
            (actions::RESUME_IMPERSONATION, 0)
        };
        audit::record(&mut tx, event(admin, action, everywhere, ended), now).await?;
        let state = read(&mut tx, admin, now).await?;
        tx.commit().await?;
        Ok(state)
    }
}
