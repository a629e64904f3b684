//! Console Settings > Administrators: the users who hold a role whose audience is the Console.
//! Adding an administrator is assigning such a role; the administrator adding them must hold what
//! the role grants, and the organization never loses its last Administrator.

use crate::access::{self, scopes, ConsoleAdmin, ADMINISTRATOR_ROLE, CONSOLE_APP};
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{RoleId, UserId};
use crate::roles::{RoleMember, RoleSummary};
use crate::validation::Checks;
use crate::Engine;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeMap;

/// An administrator and the Console roles they hold.
#[derive(Clone, Debug)]
pub struct Administrator {
    pub member: RoleMember,
    pub roles: Vec<String>,
}

impl Engine {
    /// Roles whose audience is the Console (the Administrator role first): what "Add Administrators"
    /// offers. Needs `internal_admin_mgt_view`.
    pub async fn console_roles(&self, admin: &ConsoleAdmin) -> Result<Vec<RoleSummary>> {
        admin.require(scopes::ADMINISTRATOR_VIEW)?;
        let console = self.system_application(CONSOLE_APP).await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM roles WHERE org_id = $1 AND audience_key = $2 \
             ORDER BY CASE WHEN system_key = $3 THEN 0 ELSE 1 END, LOWER(name)",
        )
        .bind(admin.principal().org_id.as_str())
        .bind(console.id.as_str())
        .bind(ADMINISTRATOR_ROLE)
        .fetch_all(self.db.pool())
        .await?;
        let mut roles = Vec::with_capacity(ids.len());
        for id in ids {
            roles.push(
                self.role_summary(&admin.principal().org_id, &RoleId::from_db(id))
                    .await?,
            );
        }
        Ok(roles)
    }

    /// The Administrators tab. Needs `internal_admin_mgt_view`.
    pub async fn list_administrators(&self, admin: &ConsoleAdmin) -> Result<Vec<Administrator>> {
        admin.require(scopes::ADMINISTRATOR_VIEW)?;
        let console = self.system_application(CONSOLE_APP).await?;
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.given_name, u.family_name, r.name AS role_name FROM role_assignments ra \
             JOIN roles r ON r.id = ra.role_id JOIN users u ON u.id = ra.user_id \
             WHERE r.org_id = $1 AND r.audience_key = $2 ORDER BY u.username_key, r.name",
        )
        .bind(admin.principal().org_id.as_str())
        .bind(console.id.as_str())
        .fetch_all(self.db.pool())
        .await?;
        let mut by_user: BTreeMap<String, Administrator> = BTreeMap::new();
        for row in rows {
            let username: String = row.try_get("username")?;
            let given: String = row.try_get("given_name")?;
            let family: String = row.try_get("family_name")?;
            let role: String = row.try_get("role_name")?;
            let user_id = UserId::from_db(row.try_get("id")?);
            by_user
                .entry(username.to_lowercase())
                .or_insert_with(|| Administrator {
                    member: RoleMember {
                        user_id,
                        username,
                        display_name: format!("{given} {family}").trim().to_owned(),
                    },
                    roles: Vec::new(),
                })
                .roles
                .push(role);
        }
        Ok(by_user.into_values().collect())
    }

    /// Add Administrators: gives `username` the Console role `role`. Needs `internal_admin_mgt_create`.
    pub async fn add_administrator(
        &self,
        admin: &ConsoleAdmin,
        username: &str,
        role: &RoleId,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(scopes::ADMINISTRATOR_CREATE)?;
        let org = admin.principal().org_id.clone();
        let console = self.system_application(CONSOLE_APP).await?;
        let mut checks = Checks::default();
        if username.trim().is_empty() {
            checks.add("username", "Enter the user's username.");
        }
        let user = self
            .user_ids_by_username(&org, &[username.to_owned()], "username", &mut checks)
            .await?
            .pop();
        let role_summary = match self.role_summary(&org, role).await {
            Ok(r) if r.audience_key == console.id.as_str() => Some(r),
            Ok(_) | Err(Error::NotFound(_)) => {
                checks.add("role", "Select a Console role.");
                None
            }
            Err(e) => return Err(e),
        };
        checks.finish()?;
        let (Some(user), Some(role_summary)) = (user, role_summary) else {
            return Err(Error::Internal("validation passed without values".into()));
        };
        let permissions: Vec<String> =
            sqlx::query_scalar("SELECT scope FROM role_permissions WHERE role_id = $1")
                .bind(role.as_str())
                .fetch_all(self.db.pool())
                .await?;
        self.ensure_may_assign(admin, "role", permissions.iter().map(String::as_str))
            .await?;
        let mut tx = self.db.begin().await?;
        let added = sqlx::query("INSERT INTO role_assignments (role_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(role.as_str())
            .bind(user.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if added == 0 {
            return Err(Error::invalid(
                "username",
                format!("{username} already has the {} role.", role_summary.name),
            ));
        }
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::ADD_ADMINISTRATOR,
                user.as_str(),
                json!({ "role": role_summary.name }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes every Console role from `user` and ends their Console sign-ins; never the last
    /// active Administrator. Needs `internal_admin_mgt_delete`.
    pub async fn remove_administrator(
        &self,
        admin: &ConsoleAdmin,
        user: &UserId,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(scopes::ADMINISTRATOR_DELETE)?;
        let org = admin.principal().org_id.clone();
        let console = self.system_application(CONSOLE_APP).await?;
        let mut tx = self.db.begin().await?;
        access::ensure_not_last_administrator(&mut tx, &org, user).await?;
        let removed = sqlx::query(
            "DELETE FROM role_assignments WHERE user_id = $1 AND role_id IN \
             (SELECT id FROM roles WHERE org_id = $2 AND audience_key = $3)",
        )
        .bind(user.as_str())
        .bind(org.as_str())
        .bind(console.id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if removed == 0 {
            return Err(Error::NotFound("administrator"));
        }
        crate::roles::revoke_audience_grants(
            &mut tx,
            &org,
            console.id.as_str(),
            std::slice::from_ref(user),
            now,
        )
        .await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::REMOVE_ADMINISTRATOR,
                user.as_str(),
                json!({}),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
