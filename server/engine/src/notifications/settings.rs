//! **Login & Registration > Organization settings > Impersonation**: whether the impersonated user
//! gets an email. No stored row means the default (on), so `reset` deletes the row.

use crate::access::ConsoleAdmin;
use crate::audit::{self, AuditEvent};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::permissions::Permission;
use crate::Engine;
use serde_json::json;
use sqlx::AnyConnection;

/// The organization's impersonation settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImpersonationSettings {
    pub enable_email_notification: bool,
}

impl Default for ImpersonationSettings {
    fn default() -> Self {
        Self {
            enable_email_notification: true,
        }
    }
}

/// The settings of `org` (the defaults when it never changed them).
pub(crate) async fn load(conn: &mut AnyConnection, org: &str) -> Result<ImpersonationSettings> {
    let stored: Option<i64> = sqlx::query_scalar(
        "SELECT enable_email_notification FROM impersonation_settings WHERE org_id = $1",
    )
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(
        stored.map_or_else(ImpersonationSettings::default, |on| ImpersonationSettings {
            enable_email_notification: on != 0,
        }),
    )
}

async fn record(tx: &mut Tx, admin: &ConsoleAdmin, value: bool, now: Timestamp) -> Result<()> {
    let org = admin.org().as_str();
    audit::record(
        tx,
        AuditEvent::by_admin(
            admin,
            crate::audit::actions::UPDATE_IMPERSONATION_CONFIG,
            org,
            json!({ "enableEmailNotification": value }),
        ),
        now,
    )
    .await
}

impl Engine {
    /// The organization's impersonation settings. Needs `internal_config_view`.
    pub async fn impersonation_settings(
        &self,
        admin: &ConsoleAdmin,
    ) -> Result<ImpersonationSettings> {
        admin.require(Permission::ConfigView)?;
        let mut conn = self.db.pool().acquire().await?;
        load(&mut conn, admin.org().as_str()).await
    }

    /// Changes the organization's impersonation settings. Needs `internal_config_update`.
    pub async fn update_impersonation_settings(
        &self,
        admin: &ConsoleAdmin,
        settings: ImpersonationSettings,
        now: Timestamp,
    ) -> Result<ImpersonationSettings> {
        admin.require(Permission::ConfigUpdate)?;
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO impersonation_settings (org_id, enable_email_notification, updated_at) \
             VALUES ($1, $2, $3) ON CONFLICT (org_id) DO UPDATE SET \
             enable_email_notification = excluded.enable_email_notification, updated_at = excluded.updated_at",
        )
        .bind(admin.org().as_str())
        .bind(i64::from(settings.enable_email_notification))
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        record(&mut tx, admin, settings.enable_email_notification, now).await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// Puts the organization's impersonation settings back to the defaults. Needs
    /// `internal_config_update`.
    pub async fn reset_impersonation_settings(
        &self,
        admin: &ConsoleAdmin,
        now: Timestamp,
    ) -> Result<ImpersonationSettings> {
        admin.require(Permission::ConfigUpdate)?;
        let mut tx = self.db.begin().await?;
        sqlx::query("DELETE FROM impersonation_settings WHERE org_id = $1")
            .bind(admin.org().as_str())
            .execute(&mut *tx)
            .await?;
        let defaults = ImpersonationSettings::default();
        record(&mut tx, admin, defaults.enable_email_notification, now).await?;
        tx.commit().await?;
        Ok(defaults)
    }
}
