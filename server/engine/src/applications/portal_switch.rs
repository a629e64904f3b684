//! Switching My Account on and off (the guide's first prerequisite for impersonating through the
//! Console). Off, nobody signs into it, so the Console's **Impersonate User** is unavailable; the
//! Console itself cannot be switched off (nobody could switch it back on).

use crate::access::ConsoleAdmin;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::permissions::Permission;
use crate::permissions::MY_ACCOUNT_APP;
use crate::session_end::grants::{self as ending, Revocation};
use crate::Engine;
use serde_json::json;

impl Engine {
    /// Whether My Account is enabled.
    pub async fn my_account_enabled(&self) -> Result<bool> {
        Ok(self.system_application(MY_ACCOUNT_APP).await?.enabled)
    }

    /// Enables or disables My Account. Needs `internal_application_mgt_update`. Disabling ends
    /// every My Account sign-in (and so every impersonation through it) at once.
    pub async fn set_my_account_enabled(
        &self,
        admin: &ConsoleAdmin,
        enabled: bool,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::ApplicationUpdate)?;
        let app = self.system_application(MY_ACCOUNT_APP).await?;
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE applications SET enabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(enabled))
            .bind(now.0)
            .bind(app.id.as_str())
            .execute(&mut *tx)
            .await?;
        if !enabled {
            ending::revoke(&mut tx, Revocation::Application(&app.id), now).await?;
        }
        self.record_app_change(&mut tx, admin, &app, json!({ "enabled": enabled }), now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
