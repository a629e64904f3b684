//! API Authorization: which scopes of which API resources an application may request. A token
//! never carries a scope of an API resource its application is not authorized for.

use crate::access::ConsoleAdmin;
use crate::api_resources::ApiResource;
use crate::audit::{self, actions, AuditEvent};
use crate::ceiling;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{ApiResourceId, AppId};
use crate::permissions::Permission;
use crate::session_end::grants::{self as ending, Revocation};
use crate::Engine;
use serde_json::json;
use std::collections::BTreeSet;

/// An API resource an application is authorized for, and which of its scopes.
#[derive(Clone, Debug)]
pub struct Authorization {
    pub resource: ApiResource,
    pub scopes: Vec<String>,
}

impl Engine {
    /// The scopes `app` is authorized for.
    pub(crate) async fn authorized_scopes(&self, app: &AppId) -> Result<BTreeSet<String>> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT scope FROM application_authorizations WHERE app_id = $1")
                .bind(app.as_str())
                .fetch_all(self.db.pool())
                .await?;
        Ok(rows.into_iter().collect())
    }

    /// The application's API Authorization tab. Needs `internal_application_mgt_view`.
    pub async fn application_authorizations(
        &self,
        admin: &ConsoleAdmin,
        app: &AppId,
    ) -> Result<Vec<Authorization>> {
        admin.require(Permission::ApplicationView)?;
        // A child organization reads what an application shared with it is authorized for (its
        // roles of it may carry those scopes); only the owner changes it.
        let app = self.application_readable(admin, app).await?;
        let authorized = self.authorized_scopes(&app.id).await?;
        Ok(authorizations(
            self.resources_of_org(&app.org_id).await?,
            &authorized,
        ))
    }

    /// The API resources whose scopes a role of this audience may carry: for an application, only
    /// the scopes it is authorized for; for the organization (`None`), every API resource. Needs the
    /// view scope of applications for an application, as [`Engine::api_resource_catalog`] otherwise.
    pub async fn permission_choices(
        &self,
        admin: &ConsoleAdmin,
        application: Option<&AppId>,
    ) -> Result<Vec<ApiResource>> {
        let Some(app) = application else {
            return self.api_resource_catalog(admin).await;
        };
        Ok(self
            .application_authorizations(admin, app)
            .await?
            .into_iter()
            .map(|a| {
                let mut resource = a.resource;
                resource.scopes.retain(|s| a.scopes.contains(&s.name));
                resource
            })
            .collect())
    }

    /// Authorizes `app` for exactly `chosen` of `resource`'s scopes (replacing any earlier choice for
    /// that resource); an empty choice removes the authorization. A scope taken away also leaves the
    /// application's own roles. System applications keep their fixed authorizations. Needs
    /// `internal_application_mgt_update`.
    pub async fn authorize_api_resource(
        &self,
        admin: &ConsoleAdmin,
        app: &AppId,
        resource: &ApiResourceId,
        chosen: Vec<String>,
        now: Timestamp,
    ) -> Result<Vec<Authorization>> {
        admin.require(Permission::ApplicationUpdate)?;
        let app = self.application_in_org(admin, app).await?;
        if app.system_kind.is_some() {
            return Err(Error::Refused(
                "The API authorization of system applications cannot be changed.",
            ));
        }
        let resources = self.resources_of_org(&app.org_id).await?;
        let resource = resources
            .iter()
            .find(|r| &r.id == resource)
            .cloned()
            .ok_or_else(|| Error::invalid("resource", "Select an API resource."))?;
        let offered: BTreeSet<&str> = resource.scopes.iter().map(|s| s.name.as_str()).collect();
        let chosen: BTreeSet<String> = chosen.into_iter().collect();
        if let Some(unknown) = chosen.iter().find(|s| !offered.contains(s.as_str())) {
            return Err(Error::invalid(
                "scopes",
                format!("{unknown} is not a scope of {}.", resource.name),
            ));
        }
        let before = self.authorized_scopes(&app.id).await?;
        // Authorizing an application for Guise's own scopes hands them on, like a role does.
        self.ensure_may_grant(
            admin,
            "scopes",
            app.id.as_str(),
            chosen
                .iter()
                .filter(|s| !before.contains(*s))
                .map(String::as_str),
        )
        .await?;
        let taken_away = offered
            .iter()
            .any(|s| before.contains(*s) && !chosen.contains(*s));
        let mut tx = self.db.begin().await?;
        let removed: Vec<&str> = offered
            .iter()
            .copied()
            .filter(|s| !chosen.contains(*s))
            .collect();
        ceiling::ensure_over_role_holders(
            &mut tx,
            admin.principal(),
            app.id.as_str(),
            Some(&removed),
        )
        .await?;
        if taken_away {
            // Tokens already issued (and their refresh tokens) carry what was taken away.
            ending::revoke(&mut tx, Revocation::Application(&app.id), now).await?;
        }
        for scope in offered.iter().filter(|s| !chosen.contains(**s)) {
            sqlx::query("DELETE FROM application_authorizations WHERE app_id = $1 AND scope = $2")
                .bind(app.id.as_str())
                .bind(*scope)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "DELETE FROM role_permissions WHERE scope = $1 AND role_id IN (SELECT id FROM roles WHERE audience_key = $2)",
            )
            .bind(*scope)
            .bind(app.id.as_str())
            .execute(&mut *tx)
            .await?;
        }
        for scope in &chosen {
            sqlx::query(
                "INSERT INTO application_authorizations (app_id, resource_id, scope) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(app.id.as_str())
            .bind(resource.id.as_str())
            .bind(scope)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::AUTHORIZE_API_RESOURCE,
                app.id.as_str(),
                json!({ "apiResource": resource.identifier, "scopes": chosen }),
            ),
            now,
        )
        .await?;
        // Who may impersonate whom may have changed: what no longer passes ends now.
        self.end_impersonated_grants_no_longer_allowed(&mut tx, now)
            .await?;
        tx.commit().await?;
        // What is stored now: the other resources' scopes as they were, this one's as chosen.
        let after: BTreeSet<String> = before
            .into_iter()
            .filter(|s| !offered.contains(s.as_str()))
            .chain(chosen)
            .collect();
        Ok(authorizations(resources, &after))
    }
}

/// The resources with their scopes among `authorized`; resources with none are left out.
fn authorizations(
    resources: Vec<ApiResource>,
    authorized: &BTreeSet<String>,
) -> Vec<Authorization> {
    resources
        .into_iter()
        .filter_map(|resource| {
            let scopes: Vec<String> = resource
                .scopes
                .iter()
                .filter(|s| authorized.contains(&s.name))
                .map(|s| s.name.clone())
                .collect();
            (!scopes.is_empty()).then_some(Authorization { resource, scopes })
        })
        .collect()
}
