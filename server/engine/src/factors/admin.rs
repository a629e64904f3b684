//! The Console's view of a user's second factors, and their reset: when a user lost their phone and
//! their recovery codes, an administrator removes both so the user can sign in with the password
//! and add a new app. A credential change like any other: under the administrator's ceiling,
//! never by someone impersonating, audited.

use super::store::{self, SecondFactors};
use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::ids::UserId;
use crate::permissions::Permission;
use crate::users::get_by_id;
use crate::Engine;
use serde_json::json;

impl Engine {
    /// The user's second factors. Needs `internal_user_mgt_view`.
    pub async fn user_second_factors(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
    ) -> Result<SecondFactors> {
        admin.require(Permission::UserView)?;
        let mut tx = self.db.begin().await?;
        let user = get_by_id(&mut tx, admin.org(), id).await?;
        let factors = store::second_factors(&mut tx, &user.id).await?;
        tx.commit().await?;
        Ok(factors)
    }

    /// Removes the user's authenticator app and recovery codes. Needs `internal_user_mgt_update`
    /// and the user within the administrator's ceiling; audited with what was removed.
    pub async fn reset_second_factors(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::UserUpdate)?;
        let mut tx = self.db.begin().await?;
        let user = get_by_id(&mut tx, admin.org(), id).await?;
        ceiling::ensure(&mut tx, admin.principal(), &user.id, Operation::Credentials).await?;
        let had = store::second_factors(&mut tx, &user.id).await?;
        store::remove_all(&mut tx, &user.id).await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::RESET_SECOND_FACTORS,
                user.id.as_str(),
                json!({
                    "authenticatorApp": had.authenticator_app_since.is_some(),
                    "recoveryCodesLeft": had.recovery_codes_left,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
