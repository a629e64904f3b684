//! Re-authentication asked for by `prompt=login` or `max_age` (OIDC Core §3.1.2.1). The browser goes
//! to sign in and comes back to the authorization endpoint, which must then know that the sign-in it
//! asked for happened. What it asked for stays here, server-side; the return URL carries only a
//! random id. Forging or dropping the id only sends the browser to sign in again, and a real id
//! counts only for a session that signed in at or after the time stored with it.

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
    let auth_after: Option<i64> = sqlx::query_scalar(
        "SELECT auth_after FROM reauthentications WHERE id_hash = $1 AND app_id = $2 AND expires_at > $3",
    )
    .bind(digest(id))
    .bind(app.id.as_str())
    .bind(now.0)
    .fetch_optional(db.pool())
    .await?;
    Ok(auth_after.map(|auth_after| Demand {
        id: id.to_owned(),
        auth_after,
    }))
}

/// A code was issued for the demand: the way back closes (in the caller's transaction).
pub(crate) async fn fulfil(tx: &mut Tx, demand: &Demand) -> Result<(), OAuthError> {
    sqlx::query("DELETE FROM reauthentications WHERE id_hash = $1")
        .bind(digest(&demand.id))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
