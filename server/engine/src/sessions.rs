//! SSO sessions: one per signed-in browser, kept in the database (a restart or a second node keeps
//! them). The browser holds a random token; we store only its SHA-256.

use crate::audit::sign_in;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::factors::challenge::{self, SecondFactorDue};
use crate::factors::method::SignInMethod;
use crate::factors::store;
use crate::ids::{OrgId, UserId};
use crate::impersonation::records::{self, EndReason, Which};
use crate::passwords::Verified;
use crate::principal::Impersonating;
pub use crate::principal::Principal;
use crate::secrets::{digest, Secret};
use crate::session_end::{self, Ending};
use crate::throttle::{self, ThrottleKey};
use crate::users::UserStatus;
use crate::{validation, Engine};
use sqlx::Row;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "guise_session";

/// A freshly created session: the token goes into the cookie, once.
#[derive(Debug)]
pub struct NewSession {
    pub token: Secret,
    pub expires_at: Timestamp,
    pub principal: Principal,
}

/// What signing out ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedOut {
    /// The session (the browser must sign in again).
    Session,
    /// The session's impersonation; the session is the impersonator's own again.
    Impersonation,
}

/// A sign-in attempt.
pub struct SignIn<'a> {
    /// The organization's handle, for a user resident in an organization below the root; `None`
    /// (or empty) signs into the root organization.
    pub organization: Option<&'a str>,
    pub username: &'a str,
    pub password: &'a str,
    /// The client's address, for throttling.
    pub client_addr: &'a str,
    /// The token of a session the browser already had; it is ended (the session id rotates).
    pub previous_token: Option<&'a str>,
    /// The re-authentication demand (`prompt=login`, `max_age`) this sign-in answers, by the id
    /// the authorization endpoint sent the browser with; the new session alone may redeem it.
    pub answering: Option<&'a str>,
    /// The application the sign-in is for (its client id, or the portal's name), for the audit.
    pub application: Option<&'a str>,
    /// The HTTP request it came in: its event carries the request's correlation id.
    pub request: Option<std::sync::Arc<crate::principal::RequestContext>>,
}

/// Where a sign-in stands after the password.
#[derive(Debug)]
pub enum SignInStep {
    /// Signed in.
    Session(NewSession),
    /// The password was right and a second factor is due: the browser holds the challenge's
    /// token until it answers with a code ([`Engine::complete_sign_in`]).
    SecondFactor(SecondFactorDue),
}

impl SignInStep {
    /// The session, for a caller that cannot ask for a second factor (a user who has one is
    /// refused).
    pub fn session(self) -> Result<NewSession> {
        match self {
            Self::Session(session) => Ok(session),
            Self::SecondFactor(_) => Err(Error::Refused("A second factor is due.")),
        }
    }
}

/// A session about to begin.
pub(crate) struct Opening<'a> {
    pub user_id: UserId,
    pub org: OrgId,
    pub username: String,
    pub method: SignInMethod,
    /// The browser's previous session: it ends (the session id rotates).
    pub previous_token: Option<&'a str>,
    /// The re-authentication demand the sign-in answers.
    pub answering: Option<&'a str>,
}

/// Creates the session of a completed sign-in in `tx`, ending the browser's previous one and
/// answering the re-authentication demand the sign-in was for.
pub(crate) async fn open_session(
    tx: &mut crate::db::Tx,
    opening: Opening<'_>,
    lifetime_secs: i64,
    now: Timestamp,
) -> Result<NewSession> {
    let token = Secret::generate();
    let session_hash = digest(token.expose());
    let expires_at = now.plus_secs(lifetime_secs);
    if let Some(previous) = opening.previous_token {
        // The browser's previous session ends here, and takes its grants along like a sign-out.
        session_end::end(tx, Ending::Session(&digest(previous)), now).await?;
    }
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, auth_time, expires_at, amr) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&session_hash)
    .bind(opening.user_id.as_str())
    .bind(now.0)
    .bind(expires_at.0)
    .bind(opening.method.as_stored())
    .execute(&mut **tx)
    .await?;
    if let Some(id) = opening.answering {
        crate::oauth::reauth::answer(tx, id, &session_hash, now).await?;
    }
    Ok(NewSession {
        token,
        expires_at,
        principal: Principal::of_session(
            opening.user_id,
            opening.org,
            opening.username,
            session_hash,
            now,
            opening.method,
        ),
    })
}

/// Finds the session token in a `Cookie` header.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    cookie_from_header(header, SESSION_COOKIE)
}

/// Finds the cookie `name` in a `Cookie` header; an empty one is none.
pub fn cookie_from_header<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim())
        .filter(|v| !v.is_empty())
}

impl Engine {
    /// A failed sign-in's event, in a transaction of its own (the attempt changed nothing else).
    pub(crate) async fn record_failed_sign_in(
        &self,
        audited: &sign_in::Attempt<'_>,
        failure: sign_in::Failure,
        now: Timestamp,
    ) -> Result<()> {
        tracing::debug!(?failure, "sign-in refused");
        let mut tx = self.db.begin().await?;
        sign_in::record(&mut tx, audited, Some(failure), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks the password (Argon2id, throttled), then creates a session, or, for a user with a
    /// second factor, a challenge that [`Engine::complete_sign_in`] turns into one. Every attempt
    /// that ends is audited, whatever its outcome (`Sign-In`).
    #[tracing::instrument(name = "sign_in", skip_all)]
    pub async fn sign_in(&self, attempt: SignIn<'_>, now: Timestamp) -> Result<SignInStep> {
        let org = match attempt
            .organization
            .map(str::trim)
            .filter(|h| !h.is_empty())
        {
            None => self.root_org().await?,
            Some(handle) => self.active_org_by_handle(handle).await?,
        };
        let username_key = validation::username_key(attempt.username);
        let keys = [
            ThrottleKey::Account {
                org: org.to_string(),
                username_key: username_key.clone(),
            },
            ThrottleKey::Address(attempt.client_addr.to_owned()),
        ];
        // The attempt as its audit event names it; the user once the name finds one.
        let mut audited = sign_in::Attempt {
            org: &org,
            user: None,
            username: attempt.username,
            address: attempt.client_addr,
            application: attempt.application,
            request: attempt.request.as_deref(),
            second_factor: None,
        };
        if let Err(e) = throttle::check(&self.db, &keys, now).await {
            if matches!(e, Error::Throttled { .. }) {
                self.record_failed_sign_in(&audited, sign_in::Failure::Throttled, now)
                    .await?;
            }
            return Err(e);
        }

        let row = sqlx::query("SELECT id, username, status, password_hash FROM users WHERE org_id = $1 AND username_key = $2")
            .bind(org.as_str())
            .bind(&username_key)
            .fetch_optional(self.db.pool())
            .await?;
        let stored_hash: Option<String> = match &row {
            Some(r) => r.try_get("password_hash")?,
            None => None,
        };
        // Verify even when there is no such user, so both cases take the same time.
        let verified = self
            .hasher
            .verify(attempt.password, stored_hash.as_deref())
            .await?;
        let Some(row) = row.filter(|_| verified != Verified::No) else {
            throttle::record_failure(&self.db, &keys, now).await?;
            let failure = sign_in::Failure::InvalidCredentials;
            self.record_failed_sign_in(&audited, failure, now).await?;
            return Err(Error::InvalidCredentials);
        };
        let user_id = UserId::from_db(row.try_get("id")?);
        audited.user = Some(&user_id);
        let status: String = row.try_get("status")?;
        match UserStatus::parse(&status) {
            Some(UserStatus::Active) => {}
            Some(inactive) => {
                let failure = if inactive == UserStatus::Locked {
                    sign_in::Failure::Locked
                } else {
                    sign_in::Failure::Disabled
                };
                self.record_failed_sign_in(&audited, failure, now).await?;
                return Err(Error::AccountInactive(inactive));
            }
            None => return Err(Error::Internal(format!("unknown status {status}"))),
        }
        let username: String = row.try_get("username")?;
        let mut tx = self.db.begin().await?;
        if let Verified::YesRehashed(fresh) = &verified {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(fresh)
                .bind(user_id.as_str())
                .execute(&mut *tx)
                .await?;
        }
        if store::second_factors(&mut tx, &user_id).await?.any() {
            // The password was right: its count starts again. The code's count does not.
            let due = challenge::challenge(
                &mut tx,
                &user_id,
                attempt.answering,
                attempt.application,
                now,
            )
            .await?;
            tx.commit().await?;
            throttle::clear(&self.db, &keys[0]).await?;
            return Ok(SignInStep::SecondFactor(due));
        }
        let session = open_session(
            &mut tx,
            Opening {
                user_id: user_id.clone(),
                org: org.clone(),
                username,
                method: SignInMethod::Password,
                previous_token: attempt.previous_token,
                answering: attempt.answering,
            },
            self.settings.session_lifetime_secs,
            now,
        )
        .await?;
        sign_in::record(&mut tx, &audited, None, now).await?;
        tx.commit().await?;
        throttle::clear(&self.db, &keys[0]).await?;
        Ok(SignInStep::Session(session))
    }

    /// The principal of a live session; `Unauthenticated` for an unknown, expired or inactive one.
    /// A session that impersonates someone is that user, with the session's own user as the real
    /// actor; an impersonation past its limit, or whose user is no longer active, ends here and
    /// the session is its own user's again.
    pub async fn authenticate(&self, token: &str, now: Timestamp) -> Result<Principal> {
        let session_hash = digest(token);
        let row = sqlx::query(
            "SELECT u.id, u.org_id, u.username, u.status, s.auth_time, s.expires_at, s.amr, \
             i.id AS imp_id, i.started_at AS imp_started_at, i.expires_at AS imp_expires_at, \
             su.id AS subject_id, su.org_id AS subject_org_id, su.username AS subject_username, \
             su.status AS subject_status, uo.status AS org_status \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             JOIN organizations uo ON uo.id = u.org_id \
             LEFT JOIN impersonations i ON i.session_hash = s.id_hash AND i.ended_at IS NULL \
             LEFT JOIN users su ON su.id = i.subject_id \
             WHERE s.id_hash = $1",
        )
        .bind(&session_hash)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Error::Unauthenticated)?;
        let expires_at: i64 = row.try_get("expires_at")?;
        let status: String = row.try_get("status")?;
        let org_status: String = row.try_get("org_status")?;
        // A deactivated organization's users are signed out with it.
        if expires_at <= now.0 || status != UserStatus::Active.as_str() || org_status != "active" {
            return Err(Error::Unauthenticated);
        }
        let own = Principal::of_session(
            UserId::from_db(row.try_get("id")?),
            OrgId::from_db(row.try_get("org_id")?),
            row.try_get("username")?,
            session_hash.clone(),
            Timestamp(row.try_get("auth_time")?),
            SignInMethod::from_stored(&row.try_get::<String, _>("amr")?),
        );
        let Some(impersonation_id) = row.try_get::<Option<String>, _>("imp_id")? else {
            return Ok(own);
        };
        let limit = Timestamp(
            row.try_get::<Option<i64>, _>("imp_expires_at")?
                .unwrap_or(0),
        );
        let subject_active = row
            .try_get::<Option<String>, _>("subject_status")?
            .as_deref()
            == Some(UserStatus::Active.as_str());
        if limit.0 <= now.0 || !subject_active {
            let reason = if subject_active {
                EndReason::TimeLimit
            } else {
                EndReason::AccountChanged
            };
            let mut tx = self.db.begin().await?;
            records::end(&mut tx, Which::Session(&session_hash), reason, now).await?;
            tx.commit().await?;
            return Ok(own);
        }
        let (Some(subject_id), Some(subject_org), Some(subject_username)) = (
            row.try_get::<Option<String>, _>("subject_id")?,
            row.try_get::<Option<String>, _>("subject_org_id")?,
            row.try_get::<Option<String>, _>("subject_username")?,
        ) else {
            return Ok(own);
        };
        let subject = Principal::of_session(
            UserId::from_db(subject_id),
            OrgId::from_db(subject_org),
            subject_username,
            session_hash,
            own.auth_time,
            SignInMethod::from_stored(&row.try_get::<String, _>("amr")?),
        );
        let impersonating = Impersonating {
            id: impersonation_id,
            started_at: Timestamp(
                row.try_get::<Option<i64>, _>("imp_started_at")?
                    .unwrap_or(0),
            ),
            expires_at: limit,
        };
        Ok(Principal::of_impersonation(
            subject,
            own.user_id,
            impersonating,
        ))
    }

    /// Signs out of the session named by `token` (nothing happens for an unknown token). A session
    /// that impersonates someone signs out of the impersonation only: it ends, with everything
    /// minted under it, and the session is the impersonator's own again. Otherwise the session ends,
    /// with what it takes along (see [`crate::session_end`]: its grants, except `offline_access`
    /// ones).
    pub async fn sign_out(&self, token: &str, now: Timestamp) -> Result<SignedOut> {
        let session_hash = digest(token);
        let mut tx = self.db.begin().await?;
        let ended = records::end(
            &mut tx,
            Which::Session(&session_hash),
            EndReason::SignedOut,
            now,
        )
        .await?;
        if ended > 0 {
            tx.commit().await?;
            return Ok(SignedOut::Impersonation);
        }
        session_end::end(&mut tx, Ending::Session(&session_hash), now).await?;
        tx.commit().await?;
        Ok(SignedOut::Session)
    }

    /// Ends expired sessions like a sign-out; run periodically. (A refresh already refuses a grant
    /// whose session has expired; this revokes the access tokens too and reclaims the rows.)
    pub async fn purge_expired_sessions(&self, now: Timestamp) -> Result<u64> {
        let mut tx = self.db.begin().await?;
        let ended = session_end::end(&mut tx, Ending::Expired, now).await?;
        tx.commit().await?;
        Ok(ended)
    }
}

#[cfg(test)]
mod tests {
    use super::token_from_cookie_header;

    #[test]
    fn finds_the_session_cookie() {
        assert_eq!(
            token_from_cookie_header("a=1; guise_session=abc; b=2"),
            Some("abc")
        );
        assert_eq!(token_from_cookie_header("guise_session="), None);
        assert_eq!(token_from_cookie_header("xguise_session=abc"), None);
    }
}
