//! **Organization Management > Organizations**: child organizations at any depth below the
//! administrator's own, renamed, deactivated, deleted when empty. An administrator reaches their
//! own organization's subtree only: never a parent, never a sibling.

use super::tree::{is_within, subtree};
use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::OrgId;
use crate::permissions::Permission;
use crate::session_end::grants::{self as ending, Revocation};
use crate::validation::Checks;
use crate::Engine;
use serde_json::json;
use sqlx::Row;

/// One organization as the Console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organization {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub name: String,
    pub handle: String,
    pub active: bool,
    /// How far below the administrator's own organization (0: their own).
    pub depth: i64,
}

/// A new child organization, as typed.
#[derive(Clone, Debug, Default)]
pub struct NewOrganization {
    /// `None`: directly below the administrator's own organization.
    pub parent: Option<OrgId>,
    pub name: String,
    pub handle: String,
}

const NAME_MAX: usize = 100;
const HANDLE_MAX: usize = 64;

fn check_name(checks: &mut Checks, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        checks.add("name", "Enter the organization's name.");
    } else if name.chars().count() > NAME_MAX {
        checks.too_long("name", "At most 100 characters.");
    }
    name.to_owned()
}

/// Handles appear in URLs (`/t/{handle}`): lower-case letters, digits and hyphens.
fn check_handle(checks: &mut Checks, handle: &str) -> String {
    let handle = handle.trim().to_ascii_lowercase();
    let well_formed = (2..=HANDLE_MAX).contains(&handle.len())
        && handle
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !handle.starts_with('-')
        && !handle.ends_with('-');
    if !well_formed {
        checks.add(
            "handle",
            "2 to 64 lower-case letters, digits and hyphens, not starting or ending with a hyphen.",
        );
    }
    handle
}

/// How a path prefix names an organization.
#[derive(Clone, Copy, Debug)]
pub enum PathOrganization<'a> {
    /// `/t/{handle}/…`
    Handle(&'a str),
    /// `/o/{org-id}/…`
    Id(&'a str),
}

impl Engine {
    /// Fails unless `org` is the administrator's organization or lies below it.
    pub(crate) async fn ensure_reaches(&self, admin: &ConsoleAdmin, org: &OrgId) -> Result<()> {
        let mut conn = self.db.pool().acquire().await?;
        if is_within(&mut conn, admin.org(), org).await? {
            Ok(())
        } else {
            Err(Error::NotFound("organization"))
        }
    }

    /// The administrator's organization and every organization below it, parents first.
    /// Needs `internal_organization_view`.
    pub async fn organizations(&self, admin: &ConsoleAdmin) -> Result<Vec<Organization>> {
        admin.require(Permission::OrganizationView)?;
        let mut conn = self.db.pool().acquire().await?;
        let tree = subtree(&mut conn, admin.org()).await?;
        let mut organizations = Vec::with_capacity(tree.len());
        for (id, depth) in tree {
            let row = sqlx::query(
                "SELECT parent_id, name, handle, status FROM organizations WHERE id = $1",
            )
            .bind(id.as_str())
            .fetch_one(&mut *conn)
            .await?;
            organizations.push(Organization {
                parent_id: row
                    .try_get::<Option<String>, _>("parent_id")?
                    .map(OrgId::from_db),
                name: row.try_get("name")?,
                handle: row.try_get("handle")?,
                active: row.try_get::<String, _>("status")? == "active",
                depth,
                id,
            });
        }
        Ok(organizations)
    }

    /// Creates a child organization below `new.parent` (or the administrator's own). The handle
    /// is unique across the whole tree. Needs `internal_organization_create`.
    pub async fn create_organization(
        &self,
        admin: &ConsoleAdmin,
        new: NewOrganization,
        now: Timestamp,
    ) -> Result<OrgId> {
        admin.require(Permission::OrganizationCreate)?;
        let mut checks = Checks::default();
        let name = check_name(&mut checks, &new.name);
        let handle = check_handle(&mut checks, &new.handle);
        checks.finish()?;
        let parent = new.parent.unwrap_or_else(|| admin.org().clone());
        self.ensure_reaches(admin, &parent).await?;
        let id = OrgId::generate();
        let mut tx = self.db.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO organizations (id, parent_id, handle, name, status, created_at) \
             VALUES ($1, $2, $3, $4, 'active', $5) ON CONFLICT DO NOTHING",
        )
        .bind(id.as_str())
        .bind(parent.as_str())
        .bind(&handle)
        .bind(&name)
        .bind(now.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(Error::invalid(
                "handle",
                "Another organization has this handle.",
            ));
        }
        super::system_roles::ensure_organization_roles(&mut tx, &id, now).await?;
        // Applications shared with every organization below their owner reach this one too:
        // `share_mode = 'all'` is read at every check, nothing to copy.
        commit_with_event(
            tx,
            admin,
            actions::ADD_ORGANIZATION,
            id.as_str(),
            json!({ "name": name, "handle": handle, "parentId": parent.as_str() }),
            now,
        )
        .await?;
        Ok(id)
    }

    /// The active organization a path prefix names (`/t/{handle}/…`, `/o/{org-id}/…`): its id
    /// and handle; `None` for an unknown or deactivated one.
    pub async fn active_organization_named(
        &self,
        named: PathOrganization<'_>,
    ) -> Result<Option<(OrgId, String)>> {
        let (column, key) = match named {
            PathOrganization::Handle(handle) => ("handle", handle.to_ascii_lowercase()),
            PathOrganization::Id(id) => match OrgId::parse(id) {
                Some(id) => ("id", id.as_str().to_owned()),
                None => return Ok(None),
            },
        };
        let row: Option<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, handle FROM organizations WHERE {column} = $1 AND status = 'active'"
        )))
        .bind(key)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.map(|(id, handle)| (OrgId::from_db(id), handle)))
    }

    /// The active organization with this handle, for signing in to it; an unknown or deactivated
    /// one is a field error on `organization` (its users cannot sign in while it is deactivated).
    pub(crate) async fn active_org_by_handle(&self, handle: &str) -> Result<OrgId> {
        self.active_organization_named(PathOrganization::Handle(handle))
            .await?
            .map(|(id, _)| id)
            .ok_or_else(|| {
                Error::invalid("organization", "No active organization has this handle.")
            })
    }

    /// Renames an organization below the administrator's own. Needs `internal_organization_update`.
    pub async fn rename_organization(
        &self,
        admin: &ConsoleAdmin,
        org: &OrgId,
        name: &str,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::OrganizationUpdate)?;
        let mut checks = Checks::default();
        let name = check_name(&mut checks, name);
        checks.finish()?;
        self.ensure_below(admin, org).await?;
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE organizations SET name = $1 WHERE id = $2")
            .bind(&name)
            .bind(org.as_str())
            .execute(&mut *tx)
            .await?;
        commit_with_event(
            tx,
            admin,
            actions::UPDATE_ORGANIZATION,
            org.as_str(),
            json!({ "name": name }),
            now,
        )
        .await?;
        Ok(())
    }

    /// Deactivates (no organization switch into it, no sign-in in its context) or reactivates an
    /// organization below the administrator's own. Needs `internal_organization_update`.
    pub async fn set_organization_active(
        &self,
        admin: &ConsoleAdmin,
        org: &OrgId,
        active: bool,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::OrganizationUpdate)?;
        self.ensure_below(admin, org).await?;
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE organizations SET status = $1 WHERE id = $2")
            .bind(if active { "active" } else { "disabled" })
            .bind(org.as_str())
            .execute(&mut *tx)
            .await?;
        if !active {
            // Tokens issued in its context die with it.
            ending::revoke(&mut tx, Revocation::Organization(org), now).await?;
        }
        commit_with_event(
            tx,
            admin,
            actions::UPDATE_ORGANIZATION,
            org.as_str(),
            json!({ "active": active }),
            now,
        )
        .await?;
        Ok(())
    }

    /// Deletes an organization below the administrator's own that is empty: no child
    /// organizations, no resident users, no applications, no invited members.
    /// Needs `internal_organization_delete`.
    pub async fn delete_organization(
        &self,
        admin: &ConsoleAdmin,
        org: &OrgId,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::OrganizationDelete)?;
        self.ensure_below(admin, org).await?;
        let mut tx = self.db.begin().await?;
        let in_use: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM organizations WHERE parent_id = $1) \
             + (SELECT COUNT(*) FROM users WHERE org_id = $1) \
             + (SELECT COUNT(*) FROM applications WHERE org_id = $1) \
             + (SELECT COUNT(*) FROM organization_members WHERE org_id = $1) \
             + (SELECT COUNT(*) FROM impersonations WHERE org_id = $1) \
             + (SELECT COUNT(*) FROM outbox WHERE org_id = $1)",
        )
        .bind(org.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if in_use > 0 {
            return Err(Error::Refused(
                "Only an empty organization can be deleted: remove its organizations, users, members and applications first (one with impersonation or email records keeps them: deactivate it instead).",
            ));
        }
        for sql in [
            "DELETE FROM application_shares WHERE org_id = $1",
            "DELETE FROM role_assignments WHERE role_id IN (SELECT id FROM roles WHERE org_id = $1)",
            "DELETE FROM role_permissions WHERE role_id IN (SELECT id FROM roles WHERE org_id = $1)",
            "DELETE FROM roles WHERE org_id = $1",
            // Tokens once issued in its context (its members since removed) go with it.
            "DELETE FROM oauth_grants WHERE org_id = $1",
            "DELETE FROM api_scopes WHERE org_id = $1",
            "DELETE FROM api_resources WHERE org_id = $1",
            "DELETE FROM email_templates WHERE org_id = $1",
            "DELETE FROM impersonation_settings WHERE org_id = $1",
            "DELETE FROM organizations WHERE id = $1",
        ] {
            sqlx::query(sql).bind(org.as_str()).execute(&mut *tx).await?;
        }
        commit_with_event(
            tx,
            admin,
            actions::DELETE_ORGANIZATION,
            org.as_str(),
            json!({}),
            now,
        )
        .await?;
        Ok(())
    }

    /// Fails unless `org` lies strictly below the administrator's organization (one's own
    /// organization is not managed from here).
    async fn ensure_below(&self, admin: &ConsoleAdmin, org: &OrgId) -> Result<()> {
        if org == admin.org() {
            return Err(Error::Refused("Your own organization is not managed here."));
        }
        self.ensure_reaches(admin, org).await
    }
}

/// Writes the change's audit event and commits: the change and its event, or neither.
async fn commit_with_event(
    mut tx: crate::db::Tx,
    admin: &ConsoleAdmin,
    action: &str,
    org: &str,
    data: serde_json::Value,
    now: Timestamp,
) -> Result<()> {
    audit::record(&mut tx, AuditEvent::by_admin(admin, action, org, data), now).await?;
    tx.commit().await?;
    Ok(())
}
