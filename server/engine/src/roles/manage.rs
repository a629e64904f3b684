//! The Console's role screens: User Management > Roles, a role's page with its permissions and
//! Assigned Users, and an application's Roles tab. Each function names the scope it needs.
//!
//! Changing what a role grants takes effect at once: when a role loses a permission or is deleted,
//! its users' grants for that role's audience are revoked, so their next request signs in afresh
//! with what they still hold.

use super::members::revoke_audience_grants;
use super::{NewRole, RoleAudience, ValidRole};
use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::error::{conflict_on, Error, Result};
use crate::ids::{AppId, OrgId, RoleId, UserId};
use crate::paging::{like_contains, Page, PageRequest};
use crate::permissions::Permission;
use crate::permissions::ORGANIZATION_AUDIENCE;
use crate::Engine;
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeSet;

/// A row of the Roles list.
#[derive(Clone, Debug)]
pub struct RoleSummary {
    pub id: RoleId,
    pub name: String,
    /// The application the role is for; `None` for an organization role.
    pub application: Option<(AppId, String)>,
    /// Defined by Guise (Administrator, Impersonator): its name and permissions are fixed.
    pub system: bool,
    pub(crate) audience_key: String,
    /// Which system role it is (`ADMINISTRATOR_ROLE`, …), if any.
    pub(super) system_key: Option<String>,
}

#[derive(Clone, Debug)]
pub struct RolePermission {
    pub scope: String,
    pub display_name: String,
    pub resource_name: String,
}

#[derive(Clone, Debug)]
pub struct RoleMember {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
}

#[derive(Clone, Debug)]
pub struct RoleDetail {
    pub summary: RoleSummary,
    pub permissions: Vec<RolePermission>,
    pub members: Vec<RoleMember>,
}

/// Which roles a list shows.
#[derive(Clone, Debug)]
pub enum RoleFilter {
    All,
    Organization,
    Application(AppId),
}

const SUMMARY_COLUMNS: &str =
    "r.id, r.name, r.audience_key, r.system_key, a.id AS app_id, a.name AS app_name";
const SUMMARY_FROM: &str = "FROM roles r LEFT JOIN applications a ON a.id = r.audience_key";

fn summary_from_row(row: &sqlx::any::AnyRow) -> Result<RoleSummary> {
    let app_id: Option<String> = row.try_get("app_id")?;
    let app_name: Option<String> = row.try_get("app_name")?;
    let system_key: Option<String> = row.try_get("system_key")?;
    Ok(RoleSummary {
        id: RoleId::from_db(row.try_get("id")?),
        name: row.try_get("name")?,
        application: app_id
            .zip(app_name)
            .map(|(id, name)| (AppId::from_db(id), name)),
        system: system_key.is_some(),
        audience_key: row.try_get("audience_key")?,
        system_key,
    })
}

impl Engine {
    /// Roles whose name contains `search`. Needs `internal_role_mgt_view`.
    pub async fn list_roles(
        &self,
        admin: &ConsoleAdmin,
        search: &str,
        filter: RoleFilter,
        request: PageRequest,
    ) -> Result<Page<RoleSummary>> {
        admin.require(Permission::RoleView)?;
        let audience = match &filter {
            RoleFilter::All => None,
            RoleFilter::Organization => Some(ORGANIZATION_AUDIENCE.to_owned()),
            RoleFilter::Application(id) => Some(id.as_str().to_owned()),
        };
        let condition = "WHERE r.org_id = $1 AND LOWER(r.name) LIKE $2 ESCAPE '\\' AND ($3 = '' OR r.audience_key = $3)";
        let org = admin.org().as_str();
        let pattern = like_contains(search);
        let audience = audience.unwrap_or_default();
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) {SUMMARY_FROM} {condition}"
        )))
        .bind(org)
        .bind(&pattern)
        .bind(&audience)
        .fetch_one(self.db.pool())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} {condition} ORDER BY LOWER(r.name), a.name LIMIT $4 OFFSET $5"
        )))
        .bind(org)
        .bind(&pattern)
        .bind(&audience)
        .bind(request.limit())
        .bind(request.offset())
        .fetch_all(self.db.pool())
        .await?;
        let roles = rows
            .iter()
            .map(summary_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(request.of(roles, total))
    }

    pub(crate) async fn role_summary(&self, org: &OrgId, id: &RoleId) -> Result<RoleSummary> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_FROM} WHERE r.org_id = $1 AND r.id = $2"
        )))
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Error::NotFound("role"))?;
        summary_from_row(&row)
    }

    /// A role's page. Needs `internal_role_mgt_view`.
    pub async fn role(&self, admin: &ConsoleAdmin, id: &RoleId) -> Result<RoleDetail> {
        admin.require(Permission::RoleView)?;
        self.load_role(admin.org(), id).await
    }

    /// A role of `org` with its permissions and members; the caller has checked the permission.
    pub(super) async fn load_role(&self, org: &OrgId, id: &RoleId) -> Result<RoleDetail> {
        let summary = self.role_summary(org, id).await?;
        let permissions = sqlx::query(
            "SELECT rp.scope, s.display_name, r.name AS resource_name FROM role_permissions rp \
             LEFT JOIN api_scopes s ON s.name = rp.scope AND s.org_id = $2 \
             LEFT JOIN api_resources r ON r.id = s.resource_id \
             WHERE rp.role_id = $1 ORDER BY r.name, rp.scope",
        )
        .bind(id.as_str())
        .bind(org.as_str())
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(|row| -> Result<RolePermission> {
            let scope: String = row.try_get("scope")?;
            Ok(RolePermission {
                display_name: row
                    .try_get::<Option<String>, _>("display_name")?
                    .unwrap_or_else(|| scope.clone()),
                resource_name: row
                    .try_get::<Option<String>, _>("resource_name")?
                    .unwrap_or_default(),
                scope,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let members = self.role_members(id).await?;
        Ok(RoleDetail {
            summary,
            permissions,
            members,
        })
    }

    pub(crate) async fn role_members(&self, id: &RoleId) -> Result<Vec<RoleMember>> {
        sqlx::query(
            "SELECT u.id, u.username, u.given_name, u.family_name FROM role_assignments ra \
             JOIN users u ON u.id = ra.user_id WHERE ra.role_id = $1 ORDER BY u.username_key",
        )
        .bind(id.as_str())
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(|row| -> Result<RoleMember> {
            let given: String = row.try_get("given_name")?;
            let family: String = row.try_get("family_name")?;
            Ok(RoleMember {
                user_id: UserId::from_db(row.try_get("id")?),
                username: row.try_get("username")?,
                display_name: format!("{given} {family}").trim().to_owned(),
            })
        })
        .collect()
    }

    /// New Role, from User Management > Roles or an application's Roles tab. The administrator can
    /// only grant Guise's own scopes they hold themselves. Needs `internal_role_mgt_create`.
    pub async fn create_role_as(
        &self,
        admin: &ConsoleAdmin,
        new: NewRole,
        now: Timestamp,
    ) -> Result<RoleId> {
        admin.require(Permission::RoleCreate)?;
        let org = admin.org().clone();
        let valid = self.validate_role(&org, new).await?;
        let audience = valid.audience_key.clone();
        self.ensure_may_grant(admin, "permissions", &audience, valid.permissions.iter())
            .await?;
        self.ensure_may_make_administrators(admin, &audience, valid.permissions.iter())
            .await?;
        if !valid.users.is_empty() {
            self.require_for_administrators(
                admin,
                &audience,
                valid.permissions.iter(),
                Permission::AdministratorCreate,
            )
            .await?;
        }
        let initiator = admin.principal().user_id.to_string();
        self.insert_role(&initiator, Some(admin.principal()), &org, valid, now)
            .await
    }

    /// A role's general details and permissions (custom roles only). Needs `internal_role_mgt_update`.
    pub async fn update_role(
        &self,
        admin: &ConsoleAdmin,
        id: &RoleId,
        name: String,
        permissions: Vec<String>,
        now: Timestamp,
    ) -> Result<RoleDetail> {
        admin.require(Permission::RoleUpdate)?;
        let org = admin.org().clone();
        let current = self.load_role(&org, id).await?;
        if current.summary.system {
            return Err(Error::Refused(
                "System roles keep their name and permissions.",
            ));
        }
        let audience = match &current.summary.application {
            Some((app, _)) => RoleAudience::ApplicationId(app.clone()),
            None => RoleAudience::Organization,
        };
        let ValidRole {
            name, permissions, ..
        } = self
            .validate_role(
                &org,
                NewRole {
                    name,
                    audience,
                    permissions,
                    assign: Vec::new(),
                },
            )
            .await?;
        let before: BTreeSet<String> = current
            .permissions
            .iter()
            .map(|p| p.scope.clone())
            .collect();
        let audience = current.summary.audience_key.as_str();
        let added: Vec<&str> = permissions
            .iter()
            .filter(|s| !before.contains(*s))
            .collect();
        self.ensure_may_grant(admin, "permissions", audience, added.iter().copied())
            .await?;
        self.ensure_may_make_administrators(admin, audience, added.iter().copied())
            .await?;
        let removed: Vec<&String> = before
            .iter()
            .filter(|s| !permissions.contains(s.as_str()))
            .collect();
        // Changing the Console scopes a role hands its users (a Console role, or an organization
        // role) changes what administrators may do: the administrators' scopes decide.
        if !current.members.is_empty() && self.audience_reaches_console(audience).await? {
            if !self
                .console_scopes_among(added.iter().copied())
                .await?
                .is_empty()
            {
                admin.require(Permission::AdministratorCreate)?;
            }
            if !self
                .console_scopes_among(removed.iter().map(|s| s.as_str()))
                .await?
                .is_empty()
            {
                admin.require(Permission::AdministratorDelete)?;
            }
        }
        // A change to the system scopes a role carries changes what its users hold: each of them
        // is bounded by the ceiling, as if their roles were changed one by one.
        let system = self.system_scope_names().await?;
        let system_change = added.iter().any(|s| system.contains(*s))
            || removed.iter().any(|s| system.contains(s.as_str()));
        let mut tx = self.db.begin().await?;
        if system_change {
            let members: Vec<&UserId> = current.members.iter().map(|m| &m.user_id).collect();
            ceiling::ensure_each(&mut tx, admin.principal(), &members, Operation::Roles).await?;
        }
        sqlx::query("UPDATE roles SET name = $1 WHERE id = $2")
            .bind(&name)
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(conflict_on(
                "name",
                "A role with this name already exists for this audience.",
            ))?;
        sqlx::query("DELETE FROM role_permissions WHERE role_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        for scope in permissions.iter() {
            sqlx::query("INSERT INTO role_permissions (role_id, scope) VALUES ($1, $2)")
                .bind(id.as_str())
                .bind(scope)
                .execute(&mut *tx)
                .await?;
        }
        if !removed.is_empty() {
            let members: Vec<UserId> = current.members.iter().map(|m| m.user_id.clone()).collect();
            revoke_audience_grants(&mut tx, &org, &current.summary.audience_key, &members, now)
                .await?;
        }
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::UPDATE_ROLE,
                id.as_str(),
                json!({ "name": name, "permissions": permissions.to_string() }),
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

    /// Deletes a custom role and its assignments. Needs `internal_role_mgt_delete`.
    pub async fn delete_role(
        &self,
        admin: &ConsoleAdmin,
        id: &RoleId,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::RoleDelete)?;
        let org = admin.org().clone();
        let current = self.load_role(&org, id).await?;
        if current.summary.system {
            return Err(Error::Refused("System roles cannot be deleted."));
        }
        let permissions: Vec<&str> = current
            .permissions
            .iter()
            .map(|p| p.scope.as_str())
            .collect();
        if !current.members.is_empty() {
            self.require_for_administrators(
                admin,
                &current.summary.audience_key,
                permissions.iter().copied(),
                Permission::AdministratorDelete,
            )
            .await?;
        }
        let system = self.system_scope_names().await?;
        let carries_system = permissions.iter().any(|s| system.contains(*s));
        let members: Vec<UserId> = current.members.iter().map(|m| m.user_id.clone()).collect();
        let mut tx = self.db.begin().await?;
        if carries_system {
            let members: Vec<&UserId> = members.iter().collect();
            ceiling::ensure_each(&mut tx, admin.principal(), &members, Operation::Roles).await?;
        }
        sqlx::query("DELETE FROM roles WHERE id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        revoke_audience_grants(&mut tx, &org, &current.summary.audience_key, &members, now).await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::DELETE_ROLE,
                id.as_str(),
                json!({ "name": current.summary.name }),
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
