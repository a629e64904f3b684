//! The pending second step of a sign-in: made when the password was right and the user has a
//! second factor; the browser holds its token for [`CHALLENGE_SECS`].

use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::UserId;
use crate::secrets::{digest, Secret};

/// How long the second step may take.
pub const CHALLENGE_SECS: i64 = 300;

/// A sign-in waiting for its second factor.
#[derive(Debug)]
pub struct SecondFactorDue {
    pub token: Secret,
    pub expires_at: Timestamp,
}

/// Records a challenge for `user` in `tx` (and forgets expired ones).
pub(crate) async fn challenge(
    tx: &mut Tx,
    user: &UserId,
    answering: Option<&str>,
    application: Option<&str>,
    now: Timestamp,
) -> Result<SecondFactorDue> {
    sqlx::query("DELETE FROM sign_in_challenges WHERE expires_at <= $1")
        .bind(now.0)
        .execute(&mut **tx)
        .await?;
    let token = Secret::generate();
    let expires_at = now.plus_secs(CHALLENGE_SECS);
    sqlx::query(
        "INSERT INTO sign_in_challenges (id_hash, user_id, expires_at, answering, application) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(digest(token.expose()))
    .bind(user.as_str())
    .bind(expires_at.0)
    .bind(answering)
    .bind(application)
    .execute(&mut **tx)
    .await?;
    Ok(SecondFactorDue { token, expires_at })
}
