//! My Account: what signed-in users do to their own account.

use crate::audit::{self, actions, AuditEvent};
use crate::ceiling::sensitive::{self, Sensitive};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::passwords::Verified;
use crate::session_end::{self, Ending};
use crate::sessions::Principal;
use crate::users::{apply_profile_changes, find_by_id, validate_profile, ProfileChanges, User};
use crate::validation::{self, Checks};
use crate::Engine;
use serde_json::json;

impl Engine {
    /// Whether `typed` is `user`'s password: what proves the user at the keyboard before they change
    /// a credential (the password, the authenticator app) or step up.
    pub(crate) async fn is_own_password(&self, user: &UserId, typed: &str) -> Result<bool> {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(user.as_str())
                .fetch_optional(self.db.pool())
                .await?
                .flatten();
        Ok(self.hasher.verify(typed, stored.as_deref()).await? != Verified::No)
    }

    /// The signed-in user's own profile.
    pub async fn my_profile(&self, me: &Principal) -> Result<User> {
        let mut tx = self.db.begin().await?;
        let user = find_by_id(&mut tx, &me.org_id, &me.user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        tx.commit().await?;
        Ok(user)
    }

    /// The signed-in user edits their own names and email.
    pub async fn update_my_profile(
        &self,
        me: &Principal,
        changes: ProfileChanges,
        now: Timestamp,
    ) -> Result<User> {
        let changes = validate_profile(&changes)?;
        let mut tx = self.db.begin().await?;
        let user = find_by_id(&mut tx, &me.org_id, &me.user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if !changes.email.eq_ignore_ascii_case(&user.email) {
            sensitive::ensure_allowed(me, &user.id, &[Sensitive::Email])?;
        }
        // Oneself is never above one's ceiling; someone acting on the user's behalf may be.
        ceiling::ensure(&mut tx, me, &user.id, Operation::Identity).await?;
        apply_profile_changes(&mut tx, me, &user, &changes, now).await?;
        let user = find_by_id(&mut tx, &me.org_id, &me.user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        tx.commit().await?;
        Ok(user)
    }

    /// The signed-in user changes their password, proving the current one. Other sessions end, and
    /// every grant of the user is revoked but this session's portal grants (see [`crate::session_end`]).
    pub async fn change_my_password(
        &self,
        me: &Principal,
        current: &str,
        new: &str,
        now: Timestamp,
    ) -> Result<()> {
        sensitive::ensure_allowed(me, &me.user_id, &[Sensitive::Credentials])?;
        let mut checks = Checks::default();
        checks.check("new_password", validation::new_password(new));
        if current == new {
            checks.add(
                "new_password",
                "Choose a password different from the current one.",
            );
        }
        checks.finish()?;
        if !self.is_own_password(&me.user_id, current).await? {
            return Err(Error::invalid(
                "current_password",
                "The current password is not correct.",
            ));
        }
        let hash = self.hasher.hash(new).await?;
        let mut tx = self.db.begin().await?;
        ceiling::ensure(&mut tx, me, &me.user_id, Operation::Credentials).await?;
        sqlx::query(
            "UPDATE users SET password_hash = $1, updated_at = $2, version = version + 1 WHERE id = $3",
        )
            .bind(&hash)
            .bind(now.0)
            .bind(me.user_id.as_str())
            .execute(&mut *tx)
            .await?;
        // Every other session and every grant end, offline ones included; this session stays.
        session_end::end(
            &mut tx,
            Ending::User {
                user: &me.user_id,
                keeping: me.session_hash(),
            },
            now,
        )
        .await?;
        audit::record(
            &mut tx,
            AuditEvent::by(me, actions::CHANGE_PASSWORD, me.user_id.as_str(), json!({})),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Engine {
    /// The signed-in user states their whole account as a provisioning client would (SCIM `/Me`):
    /// only their name, email and country may differ from what is stored — the rest is managed by
    /// administrators, and an impersonator never changes the user's credentials. Then as
    /// [`Engine::update_my_profile`].
    pub async fn update_me_as_stated(
        &self,
        me: &Principal,
        current: &User,
        stated: crate::provisioning::ProvisionedUser,
        now: Timestamp,
    ) -> Result<User> {
        if stated.password.is_some() {
            sensitive::ensure_allowed(me, &current.id, &[Sensitive::Credentials])?;
        }
        let administered = stated.username != current.username
            || !stated.active
            || stated.external_id != current.external_id
            || stated.password.is_some();
        if administered {
            return Err(Error::Refused(
                "Through /Me you can change your name, email and country; the rest is managed by administrators (change your password in My Account).",
            ));
        }
        // `primary` of the address is a provisioning client's statement, kept by /Users only:
        // here the country is what changes.
        let changes = ProfileChanges {
            email: stated.email,
            given_name: stated.given_name,
            family_name: stated.family_name,
            country: stated.country,
        };
        self.update_my_profile(me, changes, now).await
    }
}
