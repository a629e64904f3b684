//! Confirming who one is inside a signed-in session (the Console's step-up before **Impersonate
//! User**): the password again, and the second factor when the user has one. The session's
//! `auth_time` and sign-in method become those of this proof, as if the user had signed in anew;
//! throttled like a sign-in, and audited as one.

use super::store::{self, Redeemed};
use super::SignInMethod;
use crate::audit::sign_in::{self, Failure};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::throttle::{self, ThrottleKey};
use crate::{validation, Engine};

/// A confirmation of who one is.
pub struct Confirmation<'a> {
    pub password: &'a str,
    /// The authenticator app's code or a recovery code; needed when the user has an app.
    pub code: Option<&'a str>,
    pub client_addr: &'a str,
}

impl Engine {
    /// Confirms that the session's own user is at the keyboard. Refused while impersonating (the
    /// impersonator proves who they are in their own session, not in the user's name).
    pub async fn confirm_identity(
        &self,
        me: &Principal,
        confirmation: Confirmation<'_>,
        now: Timestamp,
    ) -> Result<()> {
        let (Some(session_hash), None) = (me.session_hash(), me.actor()) else {
            return Err(Error::Refused(
                "Confirm who you are in your own session, not while impersonating.",
            ));
        };
        let user = me.user_id();
        let keys = [
            ThrottleKey::Account {
                org: me.org_id().to_string(),
                username_key: validation::username_key(me.username()),
            },
            ThrottleKey::Address(confirmation.client_addr.to_owned()),
            ThrottleKey::SecondFactor(user.as_str().to_owned()),
        ];
        // The password's keys, then the code's.
        let (password_keys, factor_key) = keys.split_at(2);
        throttle::check(&self.db, &keys, now).await?;
        let mut audited = sign_in::Attempt {
            org: me.org_id(),
            user: Some(user),
            username: me.username(),
            address: confirmation.client_addr,
            application: Some("Console"),
            request: me.request(),
            second_factor: None,
        };
        if !self.is_own_password(user, confirmation.password).await? {
            throttle::record_failure(&self.db, password_keys, now).await?;
            self.record_failed_sign_in(&audited, Failure::InvalidCredentials, now)
                .await?;
            return Err(Error::invalid("password", "The password is not correct."));
        }
        let mut tx = self.db.begin().await?;
        let method = if store::second_factors(&mut tx, user).await?.any() {
            let typed = confirmation.code.map(str::trim).unwrap_or_default();
            if typed.is_empty() {
                return Err(Error::invalid(
                    "code",
                    "Type the code your authenticator app shows, or a recovery code.",
                ));
            }
            let Some(redeemed) = store::redeem(&mut tx, user, typed, now).await? else {
                drop(tx);
                throttle::record_failure(&self.db, factor_key, now).await?;
                audited.second_factor = Some(Redeemed::AuthenticatorApp.as_str());
                self.record_failed_sign_in(&audited, Failure::InvalidSecondFactor, now)
                    .await?;
                return Err(Error::invalid(
                    "code",
                    "That code is not right, or it was already used.",
                ));
            };
            audited.second_factor = Some(redeemed.as_str());
            SignInMethod::PasswordAndOneTimeCode
        } else {
            SignInMethod::Password
        };
        sqlx::query("UPDATE sessions SET auth_time = $1, amr = $2 WHERE id_hash = $3")
            .bind(now.0)
            .bind(method.as_stored())
            .bind(session_hash)
            .execute(&mut *tx)
            .await?;
        sign_in::record(&mut tx, &audited, None, now).await?;
        tx.commit().await?;
        throttle::clear(&self.db, &password_keys[0]).await?;
        if method.is_multi_factor() {
            throttle::clear(&self.db, &factor_key[0]).await?;
        }
        Ok(())
    }
}
