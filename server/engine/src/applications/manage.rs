//! The Console's application screens: list, register, and the General, Protocol and Advanced tabs.
//! Each function names the scope it needs. System applications (Console, My Account) are listed and
//! can only have their token lifetimes changed: their flows, consent and authorizations are fixed.

use super::{
    absolute_web_url, redirect_uri, Application, ClientType, GrantType, NewApplication, COLUMNS,
    FROM,
};
use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{conflict_on, Error, Result};
use crate::ids::AppId;
use crate::paging::{like_contains, Page, PageRequest};
use crate::permissions::Permission;
use crate::secrets::{digest, Secret};
use crate::validation::{self, Checks};
use crate::Engine;
use serde_json::json;

/// The General tab.
#[derive(Clone, Debug)]
pub struct GeneralSettings {
    pub name: String,
    pub description: String,
    pub access_url: String,
    pub discoverable: bool,
}

/// The Protocol tab. Lifetimes are in seconds.
#[derive(Clone, Debug)]
pub struct ProtocolSettings {
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub grant_types: Vec<GrantType>,
    pub pkce_required: bool,
    pub access_token_lifetime: i64,
    pub refresh_token_lifetime: i64,
    pub id_token_lifetime: i64,
    pub subject_token_enabled: bool,
    pub subject_token_lifetime: i64,
    /// **Refresh token grace period**: how long a rotated refresh token presented again is taken
    /// for a concurrent duplicate (refused, ending nothing) rather than a replay (which ends the
    /// whole family). 0, the default, treats every reuse as a replay.
    pub refresh_grace_secs: i64,
}

/// Bounds of the lifetimes an administrator may set, in seconds.
const ACCESS_LIFETIME: (i64, i64) = (60, 86_400);
const REFRESH_LIFETIME_MAX: i64 = 90 * 86_400;
const SUBJECT_LIFETIME: (i64, i64) = (30, 3_600);
/// Longer would let whoever refreshes first keep a stolen family for that long after every use.
pub const REFRESH_GRACE: (i64, i64) = (0, 60);

fn within(checks: &mut Checks, field: &'static str, value: i64, (min, max): (i64, i64)) {
    if value < min || value > max {
        checks.add(
            field,
            format!("Enter a number of seconds from {min} to {max}."),
        );
    }
}

impl ProtocolSettings {
    fn validate(mut self, client_type: ClientType, system: bool) -> Result<Self> {
        let mut checks = Checks::default();
        within(
            &mut checks,
            "access_token_lifetime",
            self.access_token_lifetime,
            ACCESS_LIFETIME,
        );
        within(
            &mut checks,
            "id_token_lifetime",
            self.id_token_lifetime,
            ACCESS_LIFETIME,
        );
        // Grants are purged once their refresh tokens expire; the access tokens of a grant must not
        // outlive it.
        if self.refresh_token_lifetime < self.access_token_lifetime
            || self.refresh_token_lifetime > REFRESH_LIFETIME_MAX
        {
            checks.add(
                "refresh_token_lifetime",
                format!(
                    "Enter a number of seconds from the access token lifetime ({}) to {REFRESH_LIFETIME_MAX}.",
                    self.access_token_lifetime
                ),
            );
        }
        within(
            &mut checks,
            "refresh_grace_secs",
            self.refresh_grace_secs,
            REFRESH_GRACE,
        );
        if system {
            checks.finish()?;
            return Ok(self);
        }
        within(
            &mut checks,
            "subject_token_lifetime",
            self.subject_token_lifetime,
            SUBJECT_LIFETIME,
        );
        for uri in &self.redirect_uris {
            checks.check("redirect_uris", redirect_uri(uri));
        }
        for uri in &self.post_logout_redirect_uris {
            checks.check("post_logout_redirect_uris", redirect_uri(uri));
        }
        self.grant_types.sort();
        self.grant_types.dedup();
        if self.grant_types.contains(&GrantType::AuthorizationCode) && self.redirect_uris.is_empty()
        {
            checks.add(
                "redirect_uris",
                "Add at least one redirect URI for sign-in.",
            );
        }
        if client_type == ClientType::Public
            && self.grant_types.contains(&GrantType::ClientCredentials)
        {
            checks.add(
                "grant_types",
                "A public client cannot use client credentials.",
            );
        }
        if self.subject_token_enabled && !self.grant_types.contains(&GrantType::TokenExchange) {
            checks.add(
                "subject_token_enabled",
                "Subject tokens are redeemed by token exchange: allow that grant type too.",
            );
        }
        checks.finish()?;
        Ok(self)
    }
}

impl Engine {
    /// An application of the administrator's organization.
    pub(crate) async fn application_in_org(
        &self,
        admin: &ConsoleAdmin,
        id: &AppId,
    ) -> Result<Application> {
        let app = self.application(id).await?;
        if &app.org_id != admin.org() {
            return Err(Error::NotFound("application"));
        }
        Ok(app)
    }

    /// Applications whose name contains `search`, system applications first. Needs
    /// `internal_application_mgt_view`.
    pub async fn list_applications(
        &self,
        admin: &ConsoleAdmin,
        search: &str,
        request: PageRequest,
    ) -> Result<Page<Application>> {
        admin.require(Permission::ApplicationView)?;
        let org = admin.org().as_str();
        let pattern = like_contains(search);
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE org_id = $1 AND LOWER(name) LIKE $2 ESCAPE '\\'",
        )
        .bind(org)
        .bind(&pattern)
        .fetch_one(self.db.pool())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {FROM} WHERE a.org_id = $1 AND LOWER(a.name) LIKE $2 ESCAPE '\\' \
             ORDER BY CASE WHEN a.system_kind IS NULL THEN 1 ELSE 0 END, LOWER(a.name) LIMIT $3 OFFSET $4"
        )))
        .bind(org)
        .bind(&pattern)
        .bind(request.limit())
        .bind(request.offset())
        .fetch_all(self.db.pool())
        .await?;
        let apps = rows
            .iter()
            .map(|row| self.application_from_row(row))
            .collect::<Result<Vec<_>>>()?;
        Ok(request.of(apps, total))
    }

    /// Needs `internal_application_mgt_view`.
    pub async fn application_for_admin(
        &self,
        admin: &ConsoleAdmin,
        id: &AppId,
    ) -> Result<Application> {
        admin.require(Permission::ApplicationView)?;
        self.application_in_org(admin, id).await
    }

    /// New Application. Returns the secret of a confidential client, shown once. Needs
    /// `internal_application_mgt_create`.
    pub async fn register_application(
        &self,
        admin: &ConsoleAdmin,
        new: NewApplication,
        now: Timestamp,
    ) -> Result<(Application, Option<Secret>)> {
        admin.require(Permission::ApplicationCreate)?;
        // A new application has no roles yet: only what the administrator holds for the whole
        // organization, or for a scope's home application, counts.
        self.ensure_may_grant(
            admin,
            "authorized_scopes",
            crate::permissions::ORGANIZATION_AUDIENCE,
            new.authorized_scopes.iter().map(String::as_str),
        )
        .await?;
        let initiator = admin.principal().user_id.to_string();
        self.create_application(&initiator, admin.org(), new, now)
            .await
    }

    /// The General tab's Update. Needs `internal_application_mgt_update`.
    pub async fn update_application_general(
        &self,
        admin: &ConsoleAdmin,
        id: &AppId,
        settings: GeneralSettings,
        now: Timestamp,
    ) -> Result<Application> {
        admin.require(Permission::ApplicationUpdate)?;
        let app = self.application_in_org(admin, id).await?;
        if app.system_kind.is_some() {
            return Err(Error::Refused(
                "The general settings of system applications cannot be changed.",
            ));
        }
        let mut checks = Checks::default();
        let name = checks.check("name", validation::display_name(&settings.name));
        let access_url = settings.access_url.trim().to_owned();
        if !access_url.is_empty() {
            checks.check("access_url", absolute_web_url(&access_url));
        }
        if settings.discoverable && access_url.is_empty() {
            checks.add(
                "access_url",
                "A discoverable application needs an access URL to launch it from My Account.",
            );
        }
        checks.finish()?;
        let name = name.unwrap_or_default();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE applications SET name = $1, description = $2, access_url = $3, discoverable = $4, updated_at = $5 \
             WHERE id = $6",
        )
        .bind(&name)
        .bind(settings.description.trim())
        .bind(&access_url)
        .bind(i64::from(settings.discoverable))
        .bind(now.0)
        .bind(app.id.as_str())
        .execute(&mut *tx)
        .await
        .map_err(conflict_on("name", "An application with this name already exists."))?;
        self.record_app_change(
            &mut tx,
            admin,
            &app,
            json!({
                "name": name, "accessUrl": access_url, "discoverable": settings.discoverable
            }),
            now,
        )
        .await?;
        tx.commit().await?;
        self.application(&app.id).await
    }

    /// The Protocol tab's Update. System applications only take new token lifetimes. Needs
    /// `internal_application_mgt_update`.
    pub async fn update_application_protocol(
        &self,
        admin: &ConsoleAdmin,
        id: &AppId,
        settings: ProtocolSettings,
        now: Timestamp,
    ) -> Result<Application> {
        admin.require(Permission::ApplicationUpdate)?;
        let app = self.application_in_org(admin, id).await?;
        let system = app.system_kind.is_some();
        let s = settings.validate(app.client_type, system)?;
        let mut tx = self.db.begin().await?;
        if system {
            sqlx::query(
                "UPDATE applications SET access_token_lifetime = $1, refresh_token_lifetime = $2, \
                 id_token_lifetime = $3, updated_at = $4, refresh_grace_secs = $6 WHERE id = $5",
            )
            .bind(s.access_token_lifetime)
            .bind(s.refresh_token_lifetime)
            .bind(s.id_token_lifetime)
            .bind(now.0)
            .bind(app.id.as_str())
            .bind(s.refresh_grace_secs)
            .execute(&mut *tx)
            .await?;
        } else {
            let grants: Vec<&str> = s.grant_types.iter().map(|g| g.as_str()).collect();
            sqlx::query(
                "UPDATE applications SET redirect_uris = $1, post_logout_redirect_uris = $2, grant_types = $3, \
                 pkce_required = $4, access_token_lifetime = $5, refresh_token_lifetime = $6, id_token_lifetime = $7, \
                 subject_token_enabled = $8, subject_token_lifetime = $9, updated_at = $10, refresh_grace_secs = $12 \
                 WHERE id = $11",
            )
            .bind(json!(s.redirect_uris).to_string())
            .bind(json!(s.post_logout_redirect_uris).to_string())
            .bind(json!(grants).to_string())
            .bind(i64::from(s.pkce_required))
            .bind(s.access_token_lifetime)
            .bind(s.refresh_token_lifetime)
            .bind(s.id_token_lifetime)
            .bind(i64::from(s.subject_token_enabled))
            .bind(s.subject_token_lifetime)
            .bind(now.0)
            .bind(app.id.as_str())
            .bind(s.refresh_grace_secs)
            .execute(&mut *tx)
            .await?;
        }
        self.record_app_change(
            &mut tx,
            admin,
            &app,
            json!({
                "redirectUris": s.redirect_uris,
                "grantTypes": s.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
                "pkceRequired": s.pkce_required,
                "accessTokenLifetime": s.access_token_lifetime,
                "refreshTokenLifetime": s.refresh_token_lifetime,
                "idTokenLifetime": s.id_token_lifetime,
                "subjectTokenEnabled": s.subject_token_enabled,
                "subjectTokenLifetime": s.subject_token_lifetime,
                "refreshGracePeriod": s.refresh_grace_secs,
            }),
            now,
        )
        .await?;
        tx.commit().await?;
        self.application(&app.id).await
    }

    /// The Advanced tab's Update. System applications always skip consent. Needs
    /// `internal_application_mgt_update`.
    pub async fn update_application_consent(
        &self,
        admin: &ConsoleAdmin,
        id: &AppId,
        skip_login_consent: bool,
        skip_logout_consent: bool,
        now: Timestamp,
    ) -> Result<Application> {
        admin.require(Permission::ApplicationUpdate)?;
        let app = self.application_in_org(admin, id).await?;
        if app.system_kind.is_some() {
            return Err(Error::Refused("System applications always skip consent."));
        }
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE applications SET skip_login_consent = $1, skip_logout_consent = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(i64::from(skip_login_consent))
        .bind(i64::from(skip_logout_consent))
        .bind(now.0)
        .bind(app.id.as_str())
        .execute(&mut *tx)
        .await?;
        self.record_app_change(
            &mut tx,
            admin,
            &app,
            json!({
                "skipLoginConsent": skip_login_consent, "skipLogoutConsent": skip_logout_consent
            }),
            now,
        )
        .await?;
        tx.commit().await?;
        self.application(&app.id).await
    }

    /// Replaces a confidential client's secret; the old one stops working at once. The new secret is
    /// returned once and stored only as a digest. Needs `internal_application_mgt_update`.
    pub async fn regenerate_client_secret(
        &self,
        admin: &ConsoleAdmin,
        id: &AppId,
        now: Timestamp,
    ) -> Result<Secret> {
        admin.require(Permission::ApplicationUpdate)?;
        let app = self.application_in_org(admin, id).await?;
        if app.client_type != ClientType::Confidential || app.system_kind.is_some() {
            return Err(Error::Refused("Only confidential clients have a secret."));
        }
        let secret = Secret::generate();
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE applications SET secret_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(digest(secret.expose()))
            .bind(now.0)
            .bind(app.id.as_str())
            .execute(&mut *tx)
            .await?;
        self.record_app_change(
            &mut tx,
            admin,
            &app,
            json!({ "clientSecret": "regenerated" }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Deletes a business application with its grants, tokens, authorizations and its own roles.
    /// Needs `internal_application_mgt_delete`, and every holder of a system scope through those
    /// roles within the administrator's ceiling.
    pub async fn delete_application(
        &self,
        admin: &ConsoleAdmin,
        id: &AppId,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::ApplicationDelete)?;
        let app = self.application_in_org(admin, id).await?;
        if app.system_kind.is_some() {
            return Err(Error::Refused("System applications cannot be deleted."));
        }
        let mut tx = self.db.begin().await?;
        // Its roles go with it: whoever holds system scopes through them must be within reach.
        crate::ceiling::ensure_over_role_holders(&mut tx, admin.principal(), app.id.as_str(), None)
            .await?;
        sqlx::query("DELETE FROM roles WHERE audience_key = $1")
            .bind(app.id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM applications WHERE id = $1")
            .bind(app.id.as_str())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::DELETE_APPLICATION,
                app.id.as_str(),
                json!({ "name": app.name, "clientId": app.client_id }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn record_app_change(
        &self,
        tx: &mut crate::db::Tx,
        admin: &ConsoleAdmin,
        app: &Application,
        data: serde_json::Value,
        now: Timestamp,
    ) -> Result<()> {
        audit::record(
            tx,
            AuditEvent::by_admin(
                admin,
                actions::UPDATE_APPLICATION,
                app.id.as_str(),
                json!({ "clientId": app.client_id, "changes": data }),
            ),
            now,
        )
        .await
    }
}
