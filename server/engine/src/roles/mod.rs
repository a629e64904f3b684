//! Roles: a name, an audience (the organization, or one application) and permissions (scopes);
//! users are assigned to them. A token's scope comes from the roles of its audience.

mod manage;
mod members;

pub use manage::{RoleDetail, RoleFilter, RoleMember, RolePermission, RoleSummary};
pub(crate) use members::revoke_audience_grants;

use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{conflict_on, Error, Result};
use crate::ids::{AppId, OrgId, RoleId, UserId};
use crate::oauth::scope::Scope;
use crate::permissions::ORGANIZATION_AUDIENCE;
use crate::validation::{self, Checks};
use crate::Engine;
use serde_json::json;
use std::collections::BTreeSet;

/// Who a role applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleAudience {
    Organization,
    /// The application, by client id (as operators know it).
    Application(String),
    /// The application, by its id (as the Console knows it).
    ApplicationId(AppId),
}

#[derive(Clone, Debug)]
pub struct NewRole {
    pub name: String,
    pub audience: RoleAudience,
    pub permissions: Vec<String>,
    /// Usernames to assign at once.
    pub assign: Vec<String>,
}

/// The audience key of a role for `app` (when found in `org`); otherwise a field error on `audience`.
/// The audience key of a role of `org` for `app`: an application of the organization, or one
/// shared with it (a child organization's roles for an application its parent shares).
async fn audience_of(
    conn: &mut sqlx::AnyConnection,
    org: &OrgId,
    app: Result<crate::applications::Application>,
    checks: &mut Checks,
) -> Result<Option<String>> {
    match app {
        Ok(app) if crate::organizations::sharing::is_shared_with(conn, &app, org).await? => {
            Ok(Some(app.id.as_str().to_owned()))
        }
        Ok(_) | Err(Error::NotFound(_)) => {
            checks.add("audience", "Select an application of this organization.");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A role's fields after validation.
struct ValidRole {
    name: String,
    audience_key: String,
    permissions: Scope,
    users: Vec<UserId>,
}

impl Engine {
    /// Creates a role on behalf of the server operator (the command line); the Console calls
    /// [`Engine::create_role_as`], which adds its permission checks. Unknown users, a name already used
    /// in the audience, and unknown or unauthorized scopes are field errors; nothing is stored then.
    pub async fn create_role(
        &self,
        initiator: &str,
        org: &OrgId,
        new: NewRole,
        now: Timestamp,
    ) -> Result<RoleId> {
        let valid = self.validate_role(org, new).await?;
        self.insert_role(initiator, None, org, valid, now).await
    }

    async fn validate_role(&self, org: &OrgId, new: NewRole) -> Result<ValidRole> {
        let mut checks = Checks::default();
        let name = checks.check("name", validation::display_name(&new.name));
        let audience_key = match &new.audience {
            RoleAudience::Organization => Some(ORGANIZATION_AUDIENCE.to_owned()),
            RoleAudience::Application(client_id) => {
                let app = self.application_by_client_id(client_id).await;
                let mut conn = self.db.pool().acquire().await?;
                audience_of(&mut conn, org, app, &mut checks).await?
            }
            RoleAudience::ApplicationId(id) => {
                let app = self.application(id).await;
                let mut conn = self.db.pool().acquire().await?;
                audience_of(&mut conn, org, app, &mut checks).await?
            }
        };
        let permissions = match Scope::parse(&new.permissions.join(" ")) {
            Ok(p) => match &audience_key {
                Some(key) => {
                    for problem in self.permission_problems(org, key, &p).await? {
                        checks.add("permissions", problem);
                    }
                    Some(p)
                }
                None => None,
            },
            Err(e) => {
                checks.add("permissions", e.description);
                None
            }
        };
        let users = self
            .user_ids_by_username(org, &new.assign, "assign", &mut checks)
            .await?;
        checks.finish()?;
        match (name, audience_key, permissions) {
            (Some(name), Some(audience_key), Some(permissions)) => Ok(ValidRole {
                name,
                audience_key,
                permissions,
                users,
            }),
            _ => Err(Error::Internal("validation passed without values".into())),
        }
    }

    /// Why `permissions` cannot be given to a role of `audience_key`: scopes no API resource owns,
    /// and, for an application's role, scopes the application is not authorized for.
    pub(crate) async fn permission_problems(
        &self,
        org: &OrgId,
        audience_key: &str,
        permissions: &Scope,
    ) -> Result<Vec<String>> {
        // An application's role may carry the scopes of the API resources of the application's
        // owner (a shared application's, in a child organization).
        let known: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM api_scopes WHERE org_id = $1 \
             OR org_id = (SELECT org_id FROM applications WHERE id = $2)",
        )
        .bind(org.as_str())
        .bind(audience_key)
        .fetch_all(self.db.pool())
        .await?;
        let known: BTreeSet<String> = known.into_iter().collect();
        let authorized = if audience_key == ORGANIZATION_AUDIENCE {
            None
        } else {
            Some(
                self.authorized_scopes(&crate::ids::AppId::from_db(audience_key.to_owned()))
                    .await?,
            )
        };
        let mut problems = Vec::new();
        for scope in permissions.iter() {
            if !known.contains(scope) {
                problems.push(format!("{scope} is not a scope of any API resource."));
            } else if authorized.as_ref().is_some_and(|a| !a.contains(scope)) {
                problems.push(format!(
                    "The application is not authorized for {scope}: authorize its API resource first."
                ));
            }
        }
        Ok(problems)
    }

    /// Resolves usernames of `org`; each unknown one is a field error on `assign`.
    pub(crate) async fn user_ids_by_username(
        &self,
        org: &OrgId,
        usernames: &[String],
        field: &'static str,
        checks: &mut Checks,
    ) -> Result<Vec<UserId>> {
        let mut ids = Vec::new();
        for username in usernames.iter().map(|u| u.trim()).filter(|u| !u.is_empty()) {
            // A resident user first; else a user invited into the organization from above.
            let id: Option<String> = sqlx::query_scalar(
                "SELECT id FROM users WHERE username_key = $2 AND (org_id = $1 \
                 OR id IN (SELECT user_id FROM organization_members WHERE org_id = $1)) \
                 ORDER BY CASE WHEN org_id = $1 THEN 0 ELSE 1 END LIMIT 1",
            )
            .bind(org.as_str())
            .bind(validation::username_key(username))
            .fetch_optional(self.db.pool())
            .await?;
            match id {
                Some(id) if !ids.iter().any(|u: &UserId| u.as_str() == id) => {
                    ids.push(UserId::from_db(id))
                }
                Some(_) => {}
                None => checks.add(field, format!("There is no user {username}.")),
            }
        }
        Ok(ids)
    }

    /// Stores a validated role. `actor` is the Console administrator creating it (`None` for the
    /// operator's command line, who is above the ceiling): each user assigned at once is bounded
    /// by the ceiling, in the same transaction.
    async fn insert_role(
        &self,
        initiator: &str,
        actor: Option<&crate::Principal>,
        org: &OrgId,
        valid: ValidRole,
        now: Timestamp,
    ) -> Result<RoleId> {
        let id = RoleId::generate();
        let mut tx = self.db.begin().await?;
        if let Some(actor) = actor {
            let roles = crate::ceiling::Operation::Roles;
            let users: Vec<&crate::ids::UserId> = valid.users.iter().collect();
            crate::ceiling::ensure_each(&mut tx, actor, &users, roles).await?;
        }
        sqlx::query(
            "INSERT INTO roles (id, org_id, name, audience_key, system_key, created_at) VALUES ($1, $2, $3, $4, NULL, $5)",
        )
        .bind(id.as_str())
        .bind(org.as_str())
        .bind(&valid.name)
        .bind(&valid.audience_key)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(conflict_on("name", "A role with this name already exists for this audience."))?;
        for scope in valid.permissions.iter() {
            sqlx::query("INSERT INTO role_permissions (role_id, scope) VALUES ($1, $2)")
                .bind(id.as_str())
                .bind(scope)
                .execute(&mut *tx)
                .await?;
        }
        for user in &valid.users {
            sqlx::query("INSERT INTO role_assignments (role_id, user_id) VALUES ($1, $2)")
                .bind(id.as_str())
                .bind(user.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let assigned: Vec<&str> = valid.users.iter().map(UserId::as_str).collect();
        audit::record(
            &mut tx,
            AuditEvent::success(
                initiator,
                actions::ADD_ROLE,
                id.as_str(),
                json!({ "name": valid.name, "audience": valid.audience_key, "permissions": valid.permissions.to_string(), "assigned": assigned }),
            ),
            now,
        )
        .await?;
        // Who may impersonate whom may have changed (a role created with members): what no
        // longer passes ends now. A role no one holds changes nothing anyone holds.
        if !valid.users.is_empty() {
            self.end_impersonated_grants_no_longer_allowed(&mut tx, now)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }
}
