//! A sign-in's second step. The password was right; the browser holds a challenge (five minutes)
//! and answers it with a code from the authenticator app or a recovery code. Codes are throttled
//! per user apart from passwords, and per address with them; every answer is audited.

use super::store::{self, Redeemed};
use super::SignInMethod;
use crate::audit::sign_in::{self, Failure};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{OrgId, UserId};
use crate::principal::RequestContext;
use crate::secrets::digest;
use crate::sessions::{open_session, NewSession, Opening};
use crate::throttle::{self, ThrottleKey};
use crate::users::UserStatus;
use crate::Engine;
use sqlx::Row;
use std::sync::Arc;

/// The answer to a challenge.
pub struct SecondStep<'a> {
    /// The challenge's token, as the browser holds it.
    pub challenge: &'a str,
    /// What the user typed: the app's six digits, or a recovery code.
    pub code: &'a str,
    pub client_addr: &'a str,
    /// The browser's session before this sign-in, if any: it ends.
    pub previous_token: Option<&'a str>,
    pub request: Option<Arc<RequestContext>>,
}

impl Engine {
    /// Answers a sign-in's challenge: with a right code, the session begins (its `amr` says a
    /// second factor was used) and the challenge is spent. An unknown or expired challenge is
    /// `Unauthenticated` (sign in again); a wrong or reused code is a field error on `code`.
    #[tracing::instrument(name = "complete_sign_in", skip_all)]
    pub async fn complete_sign_in(
        &self,
        step: SecondStep<'_>,
        now: Timestamp,
    ) -> Result<NewSession> {
        let challenge_hash = digest(step.challenge);
        let row = sqlx::query(
            "SELECT c.user_id, c.expires_at, c.answering, c.application, \
             u.org_id, u.username, u.status FROM sign_in_challenges c \
             JOIN users u ON u.id = c.user_id WHERE c.id_hash = $1",
        )
        .bind(&challenge_hash)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Error::Unauthenticated)?;
        if row.try_get::<i64, _>("expires_at")? <= now.0 {
            return Err(Error::Unauthenticated);
        }
        let user_id = UserId::from_db(row.try_get("user_id")?);
        let org = OrgId::from_db(row.try_get("org_id")?);
        let username: String = row.try_get("username")?;
        let answering: Option<String> = row.try_get("answering")?;
        let application: Option<String> = row.try_get("application")?;
        let mut audited = sign_in::Attempt {
            org: &org,
            user: Some(&user_id),
            username: &username,
            address: step.client_addr,
            application: application.as_deref(),
            request: step.request.as_deref(),
            second_factor: None,
        };
        let keys = [
            ThrottleKey::SecondFactor(user_id.as_str().to_owned()),
            ThrottleKey::Address(step.client_addr.to_owned()),
        ];
        if let Err(e) = throttle::check(&self.db, &keys, now).await {
            if matches!(e, Error::Throttled { .. }) {
                self.record_failed_sign_in(&audited, Failure::Throttled, now)
                    .await?;
            }
            return Err(e);
        }
        // Locked or disabled since the password was checked.
        let status: String = row.try_get("status")?;
        match UserStatus::parse(&status) {
            Some(UserStatus::Active) => {}
            Some(inactive) => return Err(Error::AccountInactive(inactive)),
            None => return Err(Error::Internal(format!("unknown status {status}"))),
        }
        let mut tx = self.db.begin().await?;
        let Some(redeemed) = store::redeem(&mut tx, &user_id, step.code, now).await? else {
            drop(tx);
            throttle::record_failure(&self.db, &keys, now).await?;
            audited.second_factor = Some(if super::recovery::looks_like_one(step.code) {
                Redeemed::RecoveryCode.as_str()
            } else {
                Redeemed::AuthenticatorApp.as_str()
            });
            self.record_failed_sign_in(&audited, Failure::InvalidSecondFactor, now)
                .await?;
            return Err(Error::invalid(
                "code",
                "That code is not right, or it was already used.",
            ));
        };
        let spent = sqlx::query("DELETE FROM sign_in_challenges WHERE id_hash = $1")
            .bind(&challenge_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if spent != 1 {
            // Another request answered it first.
            return Err(Error::Unauthenticated);
        }
        let session = open_session(
            &mut tx,
            Opening {
                user_id: user_id.clone(),
                org: org.clone(),
                username: username.clone(),
                method: SignInMethod::PasswordAndOneTimeCode,
                previous_token: step.previous_token,
                answering: answering.as_deref(),
            },
            self.settings.session_lifetime_secs,
            now,
        )
        .await?;
        audited.second_factor = Some(redeemed.as_str());
        sign_in::record(&mut tx, &audited, None, now).await?;
        tx.commit().await?;
        throttle::clear(&self.db, &keys[0]).await?;
        Ok(session)
    }
}
