//! Who holds a role: the Users tab's **Assigned Users**. Changing who holds a role that makes
//! administrators (a Console role, or an organization role with Console scopes) is changing who
//! administers, so it also needs the Console Administrators scopes; changing anyone's roles is
//! bounded by the privilege ceiling; a user who loses a role has their grants for its audience
//! revoked at once.

use crate::access::{self, ConsoleAdmin};
use crate::audit::{self, actions, AuditEvent};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::{OrgId, RoleId, UserId};
use crate::permissions::Permission;
use crate::permissions::ADMINISTRATOR_ROLE;
use crate::roles::RoleDetail;
use crate::session_end::grants::{self as ending, Revocation};
use crate::validation::Checks;
use crate::Engine;
use serde_json::json;
use std::collections::BTreeSet;

impl Engine {
    /// The Users tab's Update: the role is assigned to exactly `usernames`. Adding someone grants the
    /// role's permissions, so the administrator must hold its system scopes; the last administrator
    /// cannot be removed. Needs `internal_role_mgt_update`.
    pub async fn set_role_users(
        &self,
        admin: &ConsoleAdmin,
        id: &RoleId,
        usernames: Vec<String>,
        now: Timestamp,
    ) -> Result<RoleDetail> {
        admin.require(Permission::RoleUpdate)?;
        let org = admin.org().clone();
        let current = self.load_role(&org, id).await?;
        let mut checks = Checks::default();
        let wanted = self
            .user_ids_by_username(&org, &usernames, "assign", &mut checks)
            .await?;
        checks.finish()?;
        let before: BTreeSet<UserId> = current.members.iter().map(|m| m.user_id.clone()).collect();
        let after: BTreeSet<UserId> = wanted.into_iter().collect();
        let added: Vec<&UserId> = after.difference(&before).collect();
        let removed: Vec<UserId> = before.difference(&after).cloned().collect();
        // Changing who holds a role that makes administrators is changing who administers: it
        // also needs the Console Administrators scopes.
        let audience = current.summary.audience_key.as_str();
        let permissions: Vec<&str> = current
            .permissions
            .iter()
            .map(|p| p.scope.as_str())
            .collect();
        if !added.is_empty() {
            self.require_for_administrators(
                admin,
                audience,
                permissions.iter().copied(),
                Permission::AdministratorCreate,
            )
            .await?;
        }
        if !removed.is_empty() {
            self.require_for_administrators(
                admin,
                audience,
                permissions.iter().copied(),
                Permission::AdministratorDelete,
            )
            .await?;
        }
        if !added.is_empty() {
            self.ensure_may_assign(admin, "assign", audience, permissions.iter().copied())
                .await?;
        }
        let is_administrator_role =
            current.summary.system_key.as_deref() == Some(ADMINISTRATOR_ROLE);
        let mut tx = self.db.begin().await?;
        let changed: Vec<&UserId> = added.iter().copied().chain(&removed).collect();
        ceiling::ensure_each(&mut tx, admin.principal(), &changed, Operation::Roles).await?;
        for user in &added {
            sqlx::query("INSERT INTO role_assignments (role_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id.as_str())
                .bind(user.as_str())
                .execute(&mut *tx)
                .await?;
        }
        for user in &removed {
            if is_administrator_role {
                access::ensure_not_last_administrator(&mut tx, &org, user).await?;
            }
            sqlx::query("DELETE FROM role_assignments WHERE role_id = $1 AND user_id = $2")
                .bind(id.as_str())
                .bind(user.as_str())
                .execute(&mut *tx)
                .await?;
        }
        revoke_audience_grants(&mut tx, &org, &current.summary.audience_key, &removed, now).await?;
        let added: Vec<&str> = added.iter().map(|u| u.as_str()).collect();
        let removed: Vec<&str> = removed.iter().map(UserId::as_str).collect();
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::UPDATE_ROLE_USERS,
                id.as_str(),
                json!({ "role": current.summary.name, "added": added, "removed": removed }),
            ),
            now,
        )
        .await?;
        // Who may impersonate whom may have changed: what no longer passes ends now.
        self.end_impersonated_grants_no_longer_allowed(&mut tx, now)
            .await?;
        tx.commit().await?;
        self.load_role(&org, id).await
    }
}

/// Revokes the users' live grants that a role of `audience_key` may have contributed to: for one
/// application's role, that application's grants; for an organization role, all of them.
pub(crate) async fn revoke_audience_grants(
    tx: &mut Tx,
    org: &OrgId,
    audience_key: &str,
    users: &[UserId],
    now: Timestamp,
) -> Result<()> {
    for user in users {
        let membership = Revocation::RoleMembership {
            org,
            audience_key,
            user,
        };
        ending::revoke(tx, membership, now).await?;
    }
    Ok(())
}
