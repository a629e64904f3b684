//! API resources: the APIs a token can be for, each owning scopes. Guise's own (system) resources
//! are fixed; administrators register the organization's business APIs with their scopes.

pub(crate) mod system;

use crate::permissions::Permission;
pub(crate) use system::ensure_system_model;
use system::SYSTEM_RESOURCES;

use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{conflict_on, Error, Result};
use crate::ids::{ApiResourceId, OrgId};
use crate::oauth::scope::{Scope, OIDC_SCOPES, SELF_SCOPES};
use crate::paging::{like_contains, Page, PageRequest};
use crate::permissions::scopes;
use crate::session_end::grants::{self as ending, Revocation};
use crate::validation::{self, Checks};
use crate::Engine;
use serde_json::json;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiScope {
    pub name: String,
    pub display_name: String,
    pub description: String,
}

#[derive(Clone, Debug)]
pub struct ApiResource {
    pub id: ApiResourceId,
    pub identifier: String,
    pub name: String,
    pub description: String,
    /// Defined by Guise: read-only.
    pub system: bool,
    pub scopes: Vec<ApiScope>,
}

/// What registering or editing a business API resource takes.
#[derive(Clone, Debug)]
pub struct ApiResourceInput {
    /// Fixed once registered; ignored on edit.
    pub identifier: String,
    pub name: String,
    pub description: String,
    pub scopes: Vec<ApiScope>,
}

/// Scope names Guise reserves for its own APIs.
const RESERVED_PREFIX: &str = "internal_";

impl ApiResourceInput {
    fn validate(self, registering: bool) -> Result<ApiResourceInput> {
        let mut checks = Checks::default();
        let identifier = self.identifier.trim().to_owned();
        if registering {
            if identifier.is_empty() {
                checks.add(
                    "identifier",
                    "Enter an identifier, such as https://api.example.com.",
                );
            } else if identifier.len() > 255 || identifier.chars().any(char::is_whitespace) {
                checks.add(
                    "identifier",
                    "The identifier must be at most 255 characters, without spaces.",
                );
            } else if SYSTEM_RESOURCES.iter().any(|r| r.identifier == identifier) {
                checks.add(
                    "identifier",
                    "This identifier is reserved for one of Guise's own API resources.",
                );
            }
        }
        let name = checks.check("name", validation::display_name(&self.name));
        let mut seen = BTreeSet::new();
        let mut scopes = Vec::new();
        for scope in self.scopes {
            let scope_name = scope.name.trim().to_owned();
            let valid_token = Scope::parse(&scope_name).map(|s| s.iter().count() == 1);
            if !matches!(valid_token, Ok(true)) {
                checks.add(
                    "scopes",
                    format!("\"{scope_name}\" is not a valid scope name (no spaces or quotes)."),
                );
            } else if scope_name.starts_with(RESERVED_PREFIX) {
                checks.add(
                    "scopes",
                    format!("Scope names starting with {RESERVED_PREFIX} are reserved for Guise."),
                );
            } else if OIDC_SCOPES.contains(&scope_name.as_str())
                || SELF_SCOPES.contains(&scope_name.as_str())
            {
                // Every signed-in user may be given these: an API scope of that name would bypass
                // both the authorization and the roles.
                checks.add(
                    "scopes",
                    format!("{scope_name} is an OpenID Connect scope and cannot belong to an API resource."),
                );
            } else if !seen.insert(scope_name.clone()) {
                checks.add("scopes", format!("The scope {scope_name} is listed twice."));
            }
            let display_name = if scope.display_name.trim().is_empty() {
                scope_name.clone()
            } else {
                scope.display_name.trim().to_owned()
            };
            scopes.push(ApiScope {
                name: scope_name,
                display_name,
                description: scope.description.trim().to_owned(),
            });
        }
        checks.finish()?;
        Ok(ApiResourceInput {
            identifier,
            name: name.unwrap_or_default(),
            description: self.description.trim().to_owned(),
            scopes,
        })
    }
}

impl Engine {
    /// Names of every scope of Guise's own API resources (the root organization's system model,
    /// which every organization below uses).
    pub(crate) async fn system_scope_names(&self) -> Result<BTreeSet<String>> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT s.name FROM api_scopes s JOIN api_resources r ON r.id = s.resource_id \
             JOIN organizations o ON o.id = r.org_id AND o.parent_id IS NULL \
             WHERE r.system_key IS NOT NULL",
        )
        .fetch_all(self.db.pool())
        .await?;
        Ok(names.into_iter().collect())
    }

    /// Loads resources (rows of `api_resources`) with their scopes, in the rows' order.
    async fn with_scopes(&self, rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<ApiResource>> {
        let mut resources = Vec::with_capacity(rows.len());
        for row in rows {
            resources.push(ApiResource {
                id: ApiResourceId::from_db(row.try_get("id")?),
                identifier: row.try_get("identifier")?,
                name: row.try_get("name")?,
                description: row.try_get("description")?,
                system: row.try_get::<Option<String>, _>("system_key")?.is_some(),
                scopes: Vec::new(),
            });
        }
        if resources.is_empty() {
            return Ok(resources);
        }
        let ids: Vec<&str> = resources.iter().map(|r| r.id.as_str()).collect();
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT resource_id, name, display_name, description FROM api_scopes \
             WHERE resource_id IN ({}) ORDER BY name",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in &ids {
            query = query.bind(*id);
        }
        let mut by_resource: BTreeMap<String, Vec<ApiScope>> = BTreeMap::new();
        for row in query.fetch_all(self.db.pool()).await? {
            by_resource
                .entry(row.try_get("resource_id")?)
                .or_default()
                .push(ApiScope {
                    name: row.try_get("name")?,
                    display_name: row.try_get("display_name")?,
                    description: row.try_get("description")?,
                });
        }
        for resource in &mut resources {
            resource.scopes = by_resource.remove(resource.id.as_str()).unwrap_or_default();
        }
        Ok(resources)
    }

    /// API resources whose name or identifier contains `search`, system ones first. Needs
    /// `internal_api_resource_view`.
    pub async fn list_api_resources(
        &self,
        admin: &ConsoleAdmin,
        search: &str,
        request: PageRequest,
    ) -> Result<Page<ApiResource>> {
        admin.require(Permission::ApiResourceView)?;
        let org = admin.org().as_str();
        let pattern = like_contains(search);
        let filter = "FROM api_resources WHERE org_id = $1 \
             AND (LOWER(name) LIKE $2 ESCAPE '\\' OR LOWER(identifier) LIKE $2 ESCAPE '\\')";
        let total: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {filter}")))
                .bind(org)
                .bind(&pattern)
                .fetch_one(self.db.pool())
                .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, identifier, name, description, system_key {filter} \
             ORDER BY CASE WHEN system_key IS NULL THEN 1 ELSE 0 END, LOWER(name) LIMIT $3 OFFSET $4"
        )))
        .bind(org)
        .bind(&pattern)
        .bind(request.limit())
        .bind(request.offset())
        .fetch_all(self.db.pool())
        .await?;
        Ok(request.of(self.with_scopes(rows).await?, total))
    }

    /// Every API resource with its scopes, for choosing permissions and authorizations. Needs any of
    /// the view scopes of API resources, roles or applications.
    pub async fn api_resource_catalog(&self, admin: &ConsoleAdmin) -> Result<Vec<ApiResource>> {
        if ![
            Permission::ApiResourceView,
            Permission::RoleView,
            Permission::ApplicationView,
        ]
        .into_iter()
        .any(|p| admin.has(p))
        {
            return Err(Error::Forbidden(scopes::API_RESOURCE_VIEW));
        }
        self.resources_of_org(admin.org()).await
    }

    pub(crate) async fn resources_of_org(&self, org: &OrgId) -> Result<Vec<ApiResource>> {
        let rows = sqlx::query(
            "SELECT id, identifier, name, description, system_key FROM api_resources WHERE org_id = $1 \
             ORDER BY CASE WHEN system_key IS NULL THEN 1 ELSE 0 END, LOWER(name)",
        )
        .bind(org.as_str())
        .fetch_all(self.db.pool())
        .await?;
        self.with_scopes(rows).await
    }

    /// Needs `internal_api_resource_view`.
    pub async fn api_resource(
        &self,
        admin: &ConsoleAdmin,
        id: &ApiResourceId,
    ) -> Result<ApiResource> {
        admin.require(Permission::ApiResourceView)?;
        self.resource_in_org(admin.org(), id).await
    }

    async fn resource_in_org(&self, org: &OrgId, id: &ApiResourceId) -> Result<ApiResource> {
        let rows = sqlx::query(
            "SELECT id, identifier, name, description, system_key FROM api_resources WHERE org_id = $1 AND id = $2",
        )
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_all(self.db.pool())
        .await?;
        self.with_scopes(rows)
            .await?
            .pop()
            .ok_or(Error::NotFound("API resource"))
    }

    /// Registers a business API resource. Needs `internal_api_resource_create`.
    pub async fn create_api_resource(
        &self,
        admin: &ConsoleAdmin,
        input: ApiResourceInput,
        now: Timestamp,
    ) -> Result<ApiResource> {
        admin.require(Permission::ApiResourceCreate)?;
        let valid = input.validate(true)?;
        let org = admin.org();
        let id = ApiResourceId::generate();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO api_resources (id, org_id, identifier, name, description, system_key, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $6)",
        )
        .bind(id.as_str())
        .bind(org.as_str())
        .bind(&valid.identifier)
        .bind(&valid.name)
        .bind(&valid.description)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(conflict_on("identifier", "An API resource with this identifier already exists."))?;
        insert_scopes(&mut tx, org, &id, &valid.scopes).await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::ADD_API_RESOURCE,
                id.as_str(),
                json!({ "identifier": valid.identifier, "name": valid.name, "scopes": scope_names(&valid.scopes) }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        self.resource_in_org(org, &id).await
    }

    /// Renames a business API resource and replaces its scopes. A scope taken away also leaves every
    /// role and application authorization that had it. Needs `internal_api_resource_update`.
    pub async fn update_api_resource(
        &self,
        admin: &ConsoleAdmin,
        id: &ApiResourceId,
        input: ApiResourceInput,
        now: Timestamp,
    ) -> Result<ApiResource> {
        admin.require(Permission::ApiResourceUpdate)?;
        let org = admin.org();
        let current = self.resource_in_org(org, id).await?;
        if current.system {
            return Err(Error::Refused("System API resources cannot be changed."));
        }
        let valid = input.validate(false)?;
        let kept: BTreeSet<&str> = valid.scopes.iter().map(|s| s.name.as_str()).collect();
        let removed: Vec<&str> = current
            .scopes
            .iter()
            .map(|s| s.name.as_str())
            .filter(|s| !kept.contains(s))
            .collect();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE api_resources SET name = $1, description = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&valid.name)
        .bind(&valid.description)
        .bind(now.0)
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
        for scope in &removed {
            forget_scope(&mut tx, org, scope, now).await?;
        }
        sqlx::query("DELETE FROM api_scopes WHERE resource_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        insert_scopes(&mut tx, org, id, &valid.scopes).await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::UPDATE_API_RESOURCE,
                id.as_str(),
                json!({ "name": valid.name, "scopes": scope_names(&valid.scopes), "removedScopes": removed }),
            ),
            now,
        )
        .await?;
        // Who may impersonate whom may have changed: what no longer passes ends now.
        self.end_impersonated_grants_no_longer_allowed(&mut tx, now)
            .await?;
        tx.commit().await?;
        self.resource_in_org(org, id).await
    }

    /// Deletes a business API resource, its scopes, and every permission and authorization for
    /// them. Needs `internal_api_resource_delete`.
    pub async fn delete_api_resource(
        &self,
        admin: &ConsoleAdmin,
        id: &ApiResourceId,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::ApiResourceDelete)?;
        let org = admin.org();
        let current = self.resource_in_org(org, id).await?;
        if current.system {
            return Err(Error::Refused("System API resources cannot be deleted."));
        }
        let mut tx = self.db.begin().await?;
        for scope in &current.scopes {
            forget_scope(&mut tx, org, &scope.name, now).await?;
        }
        sqlx::query("DELETE FROM api_resources WHERE id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::DELETE_API_RESOURCE,
                id.as_str(),
                json!({ "identifier": current.identifier, "name": current.name }),
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

fn scope_names(scopes: &[ApiScope]) -> Vec<&str> {
    scopes.iter().map(|s| s.name.as_str()).collect()
}

async fn insert_scopes(
    tx: &mut crate::db::Tx,
    org: &OrgId,
    resource: &ApiResourceId,
    scopes: &[ApiScope],
) -> Result<()> {
    for scope in scopes {
        sqlx::query(
            "INSERT INTO api_scopes (resource_id, org_id, name, display_name, description) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(resource.as_str())
        .bind(org.as_str())
        .bind(&scope.name)
        .bind(&scope.display_name)
        .bind(&scope.description)
        .execute(&mut **tx)
        .await
        .map_err(conflict_on("scopes", format!(
                        "The scope {} already belongs to another API resource.",
                        scope.name
                    )))?;
    }
    Ok(())
}

/// Removes a scope that no longer exists from every role and application authorization, and
/// revokes the grants of the applications that were authorized for it (their tokens may carry it).
async fn forget_scope(
    tx: &mut crate::db::Tx,
    org: &OrgId,
    scope: &str,
    now: Timestamp,
) -> Result<()> {
    ending::revoke(tx, Revocation::Scope { org, scope }, now).await?;
    sqlx::query("DELETE FROM role_permissions WHERE scope = $1 AND role_id IN (SELECT id FROM roles WHERE org_id = $2)")
        .bind(scope)
        .bind(org.as_str())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "DELETE FROM application_authorizations WHERE scope = $1 AND app_id IN (SELECT id FROM applications WHERE org_id = $2)",
    )
    .bind(scope)
    .bind(org.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
