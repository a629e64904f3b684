//! Sharing an application down the tree (**Shared Access**): with every organization below its
//! owner, including ones created later, or with the ones selected. Unsharing revokes what was
//! issued for the application in the organizations that lose it.

use super::tree::is_within;
use crate::access::ConsoleAdmin;
use crate::applications::{Application, COLUMNS, FROM};
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{AppId, OrgId};
use crate::permissions::Permission;
use crate::permissions::CONSOLE_APP;
use crate::session_end::grants::{self as ending, Revocation};
use crate::Engine;
use serde_json::json;
use sqlx::AnyConnection;

/// With whom an application is shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sharing {
    /// Its owner only.
    NotShared,
    /// **Share with all organizations**: every organization below the owner, now and later.
    All,
    /// **Share with only selected organizations**.
    Selected(Vec<OrgId>),
}

/// Whether `app` may be used in `org`'s context: its owner's, or one it is shared with.
pub(crate) async fn is_shared_with(
    conn: &mut AnyConnection,
    app: &Application,
    org: &OrgId,
) -> Result<bool> {
    if &app.org_id == org {
        return Ok(true);
    }
    if !is_within(&mut *conn, &app.org_id, org).await? {
        return Ok(false);
    }
    if app.system_kind.as_deref() == Some(CONSOLE_APP) {
        // Every organization is administered through the one Console; My Account, like a
        // business application, reaches an organization only when shared with it.
        return Ok(true);
    }
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM applications WHERE id = $1 AND share_mode = 'all' \
         UNION SELECT 1 FROM application_shares WHERE app_id = $1 AND org_id = $2",
    )
    .bind(app.id.as_str())
    .bind(org.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Which of the applications an organization may use a caller wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Serving {
    /// Every one (a role's audience).
    All,
    /// The business applications My Account may launch: discoverable, enabled, with an access URL.
    Launchable,
}

impl Engine {
    /// The applications `org` may use: its own and those shared down to it, by name.
    pub(crate) async fn applications_serving(
        &self,
        org: &OrgId,
        which: Serving,
    ) -> Result<Vec<Application>> {
        let launchable = match which {
            Serving::All => "",
            Serving::Launchable => {
                "a.system_kind IS NULL AND a.discoverable = 1 AND a.enabled = 1 \
                 AND a.access_url <> '' AND "
            }
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {FROM} WHERE {launchable}(a.org_id = $1 OR a.share_mode = 'all' \
             OR a.id IN (SELECT app_id FROM application_shares WHERE org_id = $1)) \
             ORDER BY a.name"
        )))
        .bind(org.as_str())
        .fetch_all(self.db.pool())
        .await?;
        let mut conn = self.db.pool().acquire().await?;
        let mut apps = Vec::with_capacity(rows.len());
        for row in &rows {
            let app = self.application_from_row(row)?;
            // `share_mode = 'all'` reaches only the owner's subtree; the Console reaches every
            // organization without being shared.
            if is_shared_with(&mut conn, &app, org).await? {
                apps.push(app);
            }
        }
        Ok(apps)
    }

    /// The applications a role of the Console's organization may be for (**Role Audience**:
    /// Application): its own and those shared with it. Needs `internal_application_mgt_view`.
    pub async fn role_audience_applications(
        &self,
        admin: &ConsoleAdmin,
    ) -> Result<Vec<Application>> {
        admin.require(Permission::ApplicationView)?;
        self.applications_serving(admin.org(), Serving::All).await
    }

    /// An application the Console's organization owns or is shared, for reading (what a role of it
    /// may carry); `NotFound` otherwise.
    pub(crate) async fn application_readable(
        &self,
        admin: &ConsoleAdmin,
        id: &AppId,
    ) -> Result<Application> {
        let app = self.application(id).await?;
        if self.serves(&app, admin.org()).await? {
            Ok(app)
        } else {
            Err(Error::NotFound("application"))
        }
    }

    /// Whether users of `org` may sign into `app` ([`is_shared_with`], on a pool connection).
    pub(crate) async fn serves(&self, app: &Application, org: &OrgId) -> Result<bool> {
        let mut conn = self.db.pool().acquire().await?;
        is_shared_with(&mut conn, app, org).await
    }

    /// The application's sharing. Needs `internal_application_mgt_view`.
    pub async fn application_sharing(&self, admin: &ConsoleAdmin, app: &AppId) -> Result<Sharing> {
        admin.require(Permission::ApplicationView)?;
        let app = self.application_in_org(admin, app).await?;
        let mode: String = sqlx::query_scalar("SELECT share_mode FROM applications WHERE id = $1")
            .bind(app.id.as_str())
            .fetch_one(self.db.pool())
            .await?;
        Ok(match mode.as_str() {
            "all" => Sharing::All,
            "selected" => Sharing::Selected(
                sqlx::query_scalar::<_, String>(
                    "SELECT org_id FROM application_shares WHERE app_id = $1 ORDER BY org_id",
                )
                .bind(app.id.as_str())
                .fetch_all(self.db.pool())
                .await?
                .into_iter()
                .map(OrgId::from_db)
                .collect(),
            ),
            _ => Sharing::NotShared,
        })
    }

    /// Shares (or unshares) an application of the administrator's organization. Needs
    /// `internal_application_mgt_update`.
    pub async fn share_application(
        &self,
        admin: &ConsoleAdmin,
        app: &AppId,
        sharing: Sharing,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::ApplicationUpdate)?;
        let app = self.application_in_org(admin, app).await?;
        if &app.org_id != admin.org() {
            return Err(Error::NotFound("application"));
        }
        let selected = match &sharing {
            Sharing::Selected(orgs) => orgs.clone(),
            _ => Vec::new(),
        };
        for org in &selected {
            if org == &app.org_id {
                return Err(Error::invalid(
                    "organizations",
                    "An application is always its owner's.",
                ));
            }
            self.ensure_reaches(admin, org).await.map_err(|_| {
                Error::invalid("organizations", "Choose organizations below yours.")
            })?;
        }
        let mode = match sharing {
            Sharing::NotShared => "none",
            Sharing::All => "all",
            Sharing::Selected(_) => "selected",
        };
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE applications SET share_mode = $1, updated_at = $2 WHERE id = $3")
            .bind(mode)
            .bind(now.0)
            .bind(app.id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM application_shares WHERE app_id = $1")
            .bind(app.id.as_str())
            .execute(&mut *tx)
            .await?;
        for org in &selected {
            sqlx::query(
                "INSERT INTO application_shares (app_id, org_id, shared_at) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(app.id.as_str())
            .bind(org.as_str())
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        }
        // What was issued for the application in an organization that no longer has it dies now.
        // Shared with all, the application stays everywhere (no share rows name it).
        if mode != "all" {
            let unshared = Revocation::Unshared {
                app: &app.id,
                owner: &app.org_id,
            };
            ending::revoke(&mut tx, unshared, now).await?;
        }
        let orgs: Vec<&str> = selected.iter().map(OrgId::as_str).collect();
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::SHARE_APPLICATION,
                app.id.as_str(),
                json!({ "clientId": app.client_id, "mode": mode, "organizations": orgs }),
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
