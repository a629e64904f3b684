//! Re-authentication asked for by `prompt=login` or `max_age` (OIDC Core §3.1.2.1). The browser goes
//! to sign in and comes back to the authorization endpoint, which must then know that the sign-in it
//! asked for happened. What it asked for stays here, server-side; the return URL carries only a
//! random id. Forging or dropping the id only sends the browser to sign in again. A real id counts
//! only for the session whose sign-in answered it (the login form hands the id to the sign-in, which
//! binds it to the new session): an id that someone obtained by starting a request of their own
//! cannot vouch for a sign-in the victim made elsewhere.

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::db::{Db, Tx};
use crate::oauth::OAuthError;
use crate::secrets::{digest, Secret};

/// How long the way back from the login page stays open.
pub const REAUTH_LIFETIME_SECS: i64 = 600;

/// A pending demand for a fresh sign-in.
#[derive(Clone, Debug)]
pub(crate) struct Demand {
    /// The id the return URL carries.
    pub id: String,
    /// The sign-in must be at or after this time.
    pub auth_after: i64,
    /// The session whose sign-in answered the demand (SHA-256 of its token), once one has.
    pub answered_by: Option<String>,
}

impl Demand {
    /// Whether `session_hash`'s sign-in, made at `auth_time`, is the one this demand asked for.
    pub(crate) fn satisfied_by(&self, session_hash: &str, auth_time: Timestamp) -> bool {
        self.answered_by.as_deref() == Some(session_hash) && auth_time.0 >= self.auth_after
    }
}

/// Records that `app` needs a sign-in at or after `now`.
pub(crate) async fn demand(
    db: &Db,
    app: &Application,
    now: Timestamp,
) -> Result<Demand, OAuthError> {
    let id = Secret::generate();
    sqlx::query(
        "INSERT INTO reauthentications (id_hash, app_id, auth_after, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(digest(id.expose()))
    .bind(app.id.as_str())
    .bind(now.0)
    .bind(now.0 + REAUTH_LIFETIME_SECS)
    .execute(db.pool())
    .await?;
    Ok(Demand {
        id: id.expose().to_owned(),
        auth_after: now.0,
        answered_by: None,
    })
}

/// The demand `id` names, if it is in date and was made for `app`; anything else is no demand.
pub(crate) async fn pending(
    db: &Db,
    id: Option<&str>,
    app: &Application,
    now: Timestamp,
) -> Result<Option<Demand>, OAuthError> {
    let Some(id) = id.filter(|i| !i.is_empty()) else {
        return Ok(None);
    };
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT auth_after, session_hash FROM reauthentications \
         WHERE id_hash = $1 AND app_id = $2 AND expires_at > $3",
    )
    .bind(digest(id))
    .bind(app.id.as_str())
    .bind(now.0)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(auth_after, answered_by)| Demand {
        id: id.to_owned(),
        auth_after,
        answered_by,
    }))
}

/// A sign-in answered the demand `id` (in the sign-in's transaction): from now on only its session,
/// `session_hash`, may redeem it. A demand already answered, expired or unknown is left as it is.
pub(crate) async fn answer(
    tx: &mut Tx,
    id: &str,
    session_hash: &str,
    now: Timestamp,
) -> crate::error::Result<()> {
    sqlx::query(
        "UPDATE reauthentications SET session_hash = $1 \
         WHERE id_hash = $2 AND session_hash IS NULL AND expires_at > $3",
    )
    .bind(session_hash)
    .bind(digest(id))
    .bind(now.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A code was issued for the demand: the way back closes (in the caller's transaction).
pub(crate) async fn fulfil(tx: &mut Tx, demand: &Demand) -> Result<(), OAuthError> {
    sqlx::query("DELETE FROM reauthentications WHERE id_hash = $1")
        .bind(digest(&demand.id))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
