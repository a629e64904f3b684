//! My Account's two-step verification: the user adds an authenticator app (scanning a QR code, then
//! typing its first code), gets ten recovery codes, renews them, or removes the app with their
//! password. Nobody acting as the user does any of it ([`Sensitive::SecondFactors`]).

use super::store::{self, SecondFactors};
use super::{qr, totp};
use crate::audit::{self, actions, AuditEvent};
use crate::ceiling::sensitive::{self, Sensitive};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::sessions::Principal;
use crate::Engine;
use serde_json::json;

/// An authenticator app being added: what the user's app needs, shown once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthenticatorSetup {
    /// The secret in base32, for typing into an app that cannot scan.
    pub secret: String,
    /// The `otpauth://` URI the QR code holds.
    pub uri: String,
    /// The QR code, an SVG image.
    pub qr_svg: String,
}

/// The issuer authenticator apps list the account under.
const ISSUER: &str = "Guise";

impl Engine {
    /// The signed-in user's second factors.
    pub async fn my_second_factors(&self, me: &Principal) -> Result<SecondFactors> {
        let mut conn = self.db.pool().acquire().await?;
        store::second_factors(&mut conn, me.user_id()).await
    }

    /// Starts adding an authenticator app: a new secret, kept unconfirmed (it guards nothing) until
    /// [`Engine::confirm_authenticator_app`]. Starting again replaces an unconfirmed one.
    pub async fn begin_authenticator_app(
        &self,
        me: &Principal,
        now: Timestamp,
    ) -> Result<AuthenticatorSetup> {
        sensitive::ensure_allowed(me, me.user_id(), &[Sensitive::SecondFactors])?;
        let mut tx = self.db.begin().await?;
        ceiling::ensure(&mut tx, me, me.user_id(), Operation::Credentials).await?;
        if store::second_factors(&mut tx, me.user_id()).await?.any() {
            return Err(Error::Refused(
                "An authenticator app is already set up. Remove it before adding another.",
            ));
        }
        let secret = totp::generate_secret();
        let encoded = totp::base32(&secret);
        sqlx::query("DELETE FROM totp_factors WHERE user_id = $1")
            .bind(me.user_id().as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO totp_factors (user_id, secret, created_at, confirmed_at, last_step) \
             VALUES ($1, $2, $3, NULL, 0)",
        )
        .bind(me.user_id().as_str())
        .bind(&encoded)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let uri = totp::otpauth_uri(ISSUER, me.username(), &secret);
        let qr_svg = qr::svg(&uri, "QR code for your authenticator app")?;
        Ok(AuthenticatorSetup {
            secret: encoded,
            uri,
            qr_svg,
        })
    }

    /// Confirms the app being added with a code it shows: from now on it guards every sign-in.
    /// Returns ten new recovery codes, shown this once. Audited.
    pub async fn confirm_authenticator_app(
        &self,
        me: &Principal,
        code: &str,
        now: Timestamp,
    ) -> Result<Vec<String>> {
        sensitive::ensure_allowed(me, me.user_id(), &[Sensitive::SecondFactors])?;
        let mut tx = self.db.begin().await?;
        ceiling::ensure(&mut tx, me, me.user_id(), Operation::Credentials).await?;
        let pending: Option<String> = sqlx::query_scalar(
            "SELECT secret FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NULL",
        )
        .bind(me.user_id().as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(pending) = pending else {
            return Err(Error::Refused(
                "Start again: no authenticator app is being added.",
            ));
        };
        let secret = store::secret_of(&pending)?;
        let Some(step) = totp::matching_step(&secret, code, now.0, 0) else {
            return Err(Error::invalid(
                "code",
                "That code is not the one your app shows now. Check the app and type the current code.",
            ));
        };
        sqlx::query("UPDATE totp_factors SET confirmed_at = $1, last_step = $2 WHERE user_id = $3")
            .bind(now.0)
            .bind(step)
            .bind(me.user_id().as_str())
            .execute(&mut *tx)
            .await?;
        let codes = store::renew_recovery_codes(&mut tx, me.user_id()).await?;
        let target = me.user_id().as_str();
        audit::record(
            &mut tx,
            AuditEvent::by(me, actions::ADD_AUTHENTICATOR_APP, target, json!({})),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Replaces the user's recovery codes (the old ones stop working). Audited.
    pub async fn renew_my_recovery_codes(
        &self,
        me: &Principal,
        now: Timestamp,
    ) -> Result<Vec<String>> {
        sensitive::ensure_allowed(me, me.user_id(), &[Sensitive::SecondFactors])?;
        let mut tx = self.db.begin().await?;
        ceiling::ensure(&mut tx, me, me.user_id(), Operation::Credentials).await?;
        if !store::second_factors(&mut tx, me.user_id()).await?.any() {
            return Err(Error::Refused(
                "Recovery codes come with an authenticator app. Add one first.",
            ));
        }
        let codes = store::renew_recovery_codes(&mut tx, me.user_id()).await?;
        let target = me.user_id().as_str();
        audit::record(
            &mut tx,
            AuditEvent::by(me, actions::RENEW_RECOVERY_CODES, target, json!({})),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Removes the authenticator app and the recovery codes, proving the password (a session left
    /// open on a shared computer must not be enough). Audited.
    pub async fn remove_my_authenticator_app(
        &self,
        me: &Principal,
        password: &str,
        now: Timestamp,
    ) -> Result<()> {
        sensitive::ensure_allowed(me, me.user_id(), &[Sensitive::SecondFactors])?;
        if !self.is_own_password(me.user_id(), password).await? {
            return Err(Error::invalid("password", "The password is not correct."));
        }
        let mut tx = self.db.begin().await?;
        ceiling::ensure(&mut tx, me, me.user_id(), Operation::Credentials).await?;
        if !store::second_factors(&mut tx, me.user_id()).await?.any() {
            return Err(Error::NotFound("authenticator app"));
        }
        store::remove_all(&mut tx, me.user_id()).await?;
        let target = me.user_id().as_str();
        audit::record(
            &mut tx,
            AuditEvent::by(me, actions::REMOVE_AUTHENTICATOR_APP, target, json!({})),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
