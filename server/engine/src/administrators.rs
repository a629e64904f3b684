//! Console Settings > Administrators: the users who hold a role that reaches the Console with its
//! scopes: a role whose audience is the Console, or an organization role carrying a Console scope
//! (an organization role applies to every application, the Console included). Every way to the
//! Console's scopes is listed here, and every grant of one needs the administrators' scopes.
//! Adding an administrator is assigning a Console role; the administrator adding them must hold
//! what the role grants, and the organization never loses its last Administrator.

use crate::access::{self, ConsoleAdmin};
use crate::audit::{self, actions, AuditEvent};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{RoleId, UserId};
use crate::permissions::Permission;
use crate::permissions::{ADMINISTRATOR_ROLE, CONSOLE_APP, ORGANIZATION_AUDIENCE};
use crate::roles::{RoleMember, RoleSummary};
use crate::validation::Checks;
use crate::Engine;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeMap;

/// SQL condition on a role `r` (binds: `$2` the Console's id, `$3` the organization audience):
/// holding it reaches the Console with Console scopes.
const REACHES_CONSOLE: &str = "(r.audience_key = $2 OR (r.audience_key = $3 AND EXISTS (\
     SELECT 1 FROM role_permissions rp JOIN application_authorizations aa \
     ON aa.app_id = $2 AND aa.scope = rp.scope WHERE rp.role_id = r.id)))";

/// An administrator and the roles that make them one.
#[derive(Clone, Debug)]
pub struct Administrator {
    pub member: RoleMember,
    pub roles: Vec<String>,
}

impl Engine {
    /// Roles whose audience is the Console (the Administrator role first): what "Add Administrators"
    /// offers. Needs `internal_admin_mgt_view`.
    pub async fn console_roles(&self, admin: &ConsoleAdmin) -> Result<Vec<RoleSummary>> {
        admin.require(Permission::AdministratorView)?;
        let console = self.system_application(CONSOLE_APP).await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM roles WHERE org_id = $1 AND audience_key = $2 \
             ORDER BY CASE WHEN system_key = $3 THEN 0 ELSE 1 END, LOWER(name)",
        )
        .bind(admin.org().as_str())
        .bind(console.id.as_str())
        .bind(ADMINISTRATOR_ROLE)
        .fetch_all(self.db.pool())
        .await?;
        let mut roles = Vec::with_capacity(ids.len());
        for id in ids {
            roles.push(self.role_summary(admin.org(), &RoleId::from_db(id)).await?);
        }
        Ok(roles)
    }

    /// The Administrators tab. Needs `internal_admin_mgt_view`.
    pub async fn list_administrators(&self, admin: &ConsoleAdmin) -> Result<Vec<Administrator>> {
        admin.require(Permission::AdministratorView)?;
        let console = self.system_application(CONSOLE_APP).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT u.id, u.username, u.given_name, u.family_name, r.name AS role_name FROM role_assignments ra \
             JOIN roles r ON r.id = ra.role_id JOIN users u ON u.id = ra.user_id \
             WHERE r.org_id = $1 AND {REACHES_CONSOLE} ORDER BY u.username_key, r.name"
        )))
        .bind(admin.org().as_str())
        .bind(console.id.as_str())
        .bind(ORGANIZATION_AUDIENCE)
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
        admin.require(Permission::AdministratorCreate)?;
        let org = admin.org().clone();
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
        self.ensure_may_assign(
            admin,
            "role",
            console.id.as_str(),
            permissions.iter().map(String::as_str),
        )
        .await?;
        let mut tx = self.db.begin().await?;
        ceiling::ensure(&mut tx, admin.principal(), &user, Operation::Roles).await?;
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
        // Who may impersonate whom may have changed: what no longer passes ends now.
        self.end_impersonated_grants_no_longer_allowed(&mut tx, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes every role that makes `user` an administrator (their Console roles, and their
    /// organization roles carrying Console scopes) and ends the sign-ins those roles fed; never
    /// the last active Administrator. Needs `internal_admin_mgt_delete`.
    pub async fn remove_administrator(
        &self,
        admin: &ConsoleAdmin,
        user: &UserId,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::AdministratorDelete)?;
        let org = admin.org().clone();
        let console = self.system_application(CONSOLE_APP).await?;
        let mut tx = self.db.begin().await?;
        ceiling::ensure(&mut tx, admin.principal(), user, Operation::Roles).await?;
        access::ensure_not_last_administrator(&mut tx, &org, user).await?;
        let audiences: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT r.audience_key FROM role_assignments ra JOIN roles r ON r.id = ra.role_id \
             WHERE ra.user_id = $4 AND r.org_id = $1 AND {REACHES_CONSOLE}"
        )))
        .bind(org.as_str())
        .bind(console.id.as_str())
        .bind(ORGANIZATION_AUDIENCE)
        .bind(user.as_str())
        .fetch_all(&mut *tx)
        .await?;
        if audiences.is_empty() {
            return Err(Error::NotFound("administrator"));
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM role_assignments WHERE user_id = $4 AND role_id IN \
             (SELECT r.id FROM roles r WHERE r.org_id = $1 AND {REACHES_CONSOLE})"
        )))
        .bind(org.as_str())
        .bind(console.id.as_str())
        .bind(ORGANIZATION_AUDIENCE)
        .bind(user.as_str())
        .execute(&mut *tx)
        .await?;
        for audience in &audiences {
            crate::roles::revoke_audience_grants(
                &mut tx,
                &org,
                audience,
                std::slice::from_ref(user),
                now,
            )
            .await?;
        }
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
        // Who may impersonate whom may have changed: what no longer passes ends now.
        self.end_impersonated_grants_no_longer_allowed(&mut tx, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Engine {
    /// The Console's scopes among `permissions` (the scopes the Console application is authorized
    /// for: what its sign-in can carry).
    pub(crate) async fn console_scopes_among<'a>(
        &self,
        permissions: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<String>> {
        let console = self.system_application(CONSOLE_APP).await?;
        let authorized = self.authorized_scopes(&console.id).await?;
        Ok(permissions
            .into_iter()
            .filter(|s| authorized.contains(*s))
            .map(str::to_owned)
            .collect())
    }

    /// Whether a role of `audience_key` can hand Console scopes to its users: a Console role or an
    /// organization role.
    pub(crate) async fn audience_reaches_console(&self, audience_key: &str) -> Result<bool> {
        if audience_key == ORGANIZATION_AUDIENCE {
            return Ok(true);
        }
        let console = self.system_application(CONSOLE_APP).await?;
        Ok(console.id.as_str() == audience_key)
    }

    /// Whether holding a role of `audience_key` with `permissions` makes one an administrator: every
    /// Console role does, and so does an organization role carrying a Console scope.
    pub(crate) async fn makes_administrators<'a>(
        &self,
        audience_key: &str,
        permissions: impl IntoIterator<Item = &'a str>,
    ) -> Result<bool> {
        if audience_key == ORGANIZATION_AUDIENCE {
            return Ok(!self.console_scopes_among(permissions).await?.is_empty());
        }
        let console = self.system_application(CONSOLE_APP).await?;
        Ok(console.id.as_str() == audience_key)
    }

    /// Requires `scope` (one of the administrators' scopes) when holding a role of `audience_key`
    /// with `permissions` makes one an administrator: changing who holds it changes who administers.
    pub(crate) async fn require_for_administrators<'a>(
        &self,
        admin: &ConsoleAdmin,
        audience_key: &str,
        permissions: impl IntoIterator<Item = &'a str>,
        needed: Permission,
    ) -> Result<()> {
        if self.makes_administrators(audience_key, permissions).await? {
            admin.require(needed)?;
        }
        Ok(())
    }

    /// An organization role gaining Console scopes makes its holders administrators, unseen on the
    /// Roles screens: only someone who may add administrators may put them there. A field error on
    /// `permissions`, so the form says why.
    pub(crate) async fn ensure_may_make_administrators<'a>(
        &self,
        admin: &ConsoleAdmin,
        audience_key: &str,
        added: impl IntoIterator<Item = &'a str>,
    ) -> Result<()> {
        if audience_key != ORGANIZATION_AUDIENCE || admin.has(Permission::AdministratorCreate) {
            return Ok(());
        }
        let console = self.console_scopes_among(added).await?;
        if console.is_empty() {
            return Ok(());
        }
        Err(Error::invalid(
            "permissions",
            format!(
                "An organization role with Console scopes ({}) makes its users Console administrators: \
                 that needs the Add Administrators permission. Use Console Settings > Administrators.",
                console.join(", ")
            ),
        ))
    }
}
