//! Roles: a name, an audience (the organization, or one application) and permissions (scopes);
//! users are assigned to them. A token's scope comes from the roles of its audience.

use crate::access::ORGANIZATION_AUDIENCE;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{is_unique_violation, Error, Result};
use crate::ids::{OrgId, RoleId};
use crate::oauth::scope::Scope;
use crate::validation::{self, Checks};
use crate::Engine;
use serde_json::json;

/// Who a role applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleAudience {
    Organization,
    /// The application, by client id.
    Application(String),
}

#[derive(Clone, Debug)]
pub struct NewRole {
    pub name: String,
    pub audience: RoleAudience,
    pub permissions: Vec<String>,
    /// Usernames to assign at once.
    pub assign: Vec<String>,
}

impl Engine {
    /// Creates a role on behalf of the server operator (the command line). Unknown users, a name
    /// already used in the audience, and malformed scopes are field errors; nothing is stored then.
    pub async fn create_role(
        &self,
        initiator: &str,
        org: &OrgId,
        new: NewRole,
        now: Timestamp,
    ) -> Result<RoleId> {
        let mut checks = Checks::default();
        let name = checks.check("name", validation::display_name(&new.name));
        let permissions = checks.check(
            "permissions",
            Scope::parse(&new.permissions.join(" ")).map_err(|e| e.description),
        );
        let audience_key = match &new.audience {
            RoleAudience::Organization => Some(ORGANIZATION_AUDIENCE.to_owned()),
            RoleAudience::Application(client_id) => {
                match self.application_by_client_id(client_id).await {
                    Ok(app) if &app.org_id == org => Some(app.id.as_str().to_owned()),
                    Ok(_) | Err(Error::NotFound(_)) => {
                        checks.add(
                            "audience",
                            format!("There is no application {client_id} in this organization."),
                        );
                        None
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let mut user_ids = Vec::new();
        for username in &new.assign {
            let id: Option<String> =
                sqlx::query_scalar("SELECT id FROM users WHERE org_id = $1 AND username_key = $2")
                    .bind(org.as_str())
                    .bind(validation::username_key(username))
                    .fetch_optional(self.db.pool())
                    .await?;
            match id {
                Some(id) => user_ids.push(id),
                None => checks.add("assign", format!("There is no user {username}.")),
            }
        }
        checks.finish()?;
        let (Some(name), Some(permissions), Some(audience_key)) = (name, permissions, audience_key)
        else {
            return Err(Error::Internal("validation passed without values".into()));
        };
        let id = RoleId::generate();
        let mut tx = self.db.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO roles (id, org_id, name, audience_key, system_key, created_at) VALUES ($1, $2, $3, $4, NULL, $5)",
        )
        .bind(id.as_str())
        .bind(org.as_str())
        .bind(&name)
        .bind(&audience_key)
        .bind(now.0)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                return Err(Error::invalid(
                    "name",
                    "A role with this name already exists for this audience.",
                ))
            }
            Err(e) => return Err(e.into()),
        }
        for scope in permissions.iter() {
            sqlx::query("INSERT INTO role_permissions (role_id, scope) VALUES ($1, $2)")
                .bind(id.as_str())
                .bind(scope)
                .execute(&mut *tx)
                .await?;
        }
        for user in &user_ids {
            sqlx::query("INSERT INTO role_assignments (role_id, user_id) VALUES ($1, $2)")
                .bind(id.as_str())
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            AuditEvent::success(
                initiator,
                actions::ADD_ROLE,
                id.as_str(),
                json!({ "name": name, "audience": audience_key, "permissions": permissions.to_string(), "assigned": user_ids }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
