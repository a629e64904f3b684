//! A user's second factors as stored: what they have, and the one place a typed code is redeemed
//! (each code counts once, even when two requests race with it).

use super::{recovery, totp};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::UserId;
use sqlx::{AnyConnection, Row};

/// What second factors a user has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecondFactors {
    /// When the authenticator app was added (its first code confirmed); `None` without one.
    pub authenticator_app_since: Option<Timestamp>,
    /// Recovery codes not used yet.
    pub recovery_codes_left: u32,
}

impl SecondFactors {
    /// Whether a sign-in must ask for a second factor.
    pub fn any(&self) -> bool {
        self.authenticator_app_since.is_some()
    }
}

/// What a code was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redeemed {
    AuthenticatorApp,
    RecoveryCode,
}

impl Redeemed {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::AuthenticatorApp => "authenticator_app",
            Self::RecoveryCode => "recovery_code",
        }
    }
}

pub(crate) async fn second_factors(
    conn: &mut AnyConnection,
    user: &UserId,
) -> Result<SecondFactors> {
    let row = sqlx::query(
        "SELECT (SELECT confirmed_at FROM totp_factors WHERE user_id = $1) AS since, \
         (SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL) AS left_codes",
    )
    .bind(user.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Ok(SecondFactors {
        authenticator_app_since: row.try_get::<Option<i64>, _>("since")?.map(Timestamp),
        recovery_codes_left: u32::try_from(row.try_get::<i64, _>("left_codes")?).unwrap_or(0),
    })
}

/// Redeems `typed` for `user`: a code of their confirmed authenticator app not used before, or one
/// of their unused recovery codes. `None` when it is neither (wrong, reused, or no factor).
pub(crate) async fn redeem(
    conn: &mut AnyConnection,
    user: &UserId,
    typed: &str,
    now: Timestamp,
) -> Result<Option<Redeemed>> {
    if recovery::looks_like_one(typed) {
        let used = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now.0)
        .bind(user.as_str())
        .bind(recovery::digest_of(typed))
        .execute(&mut *conn)
        .await?
        .rows_affected();
        return Ok((used == 1).then_some(Redeemed::RecoveryCode));
    }
    let row = sqlx::query(
        "SELECT secret, last_step FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL",
    )
    .bind(user.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let secret = secret_of(&row.try_get::<String, _>("secret")?)?;
    let last_step: i64 = row.try_get("last_step")?;
    let Some(step) = totp::matching_step(&secret, typed, now.0, last_step) else {
        return Ok(None);
    };
    // Only one request moves `last_step` past this step: a second one with the same code loses.
    let moved =
        sqlx::query("UPDATE totp_factors SET last_step = $1 WHERE user_id = $2 AND last_step < $1")
            .bind(step)
            .bind(user.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    Ok((moved == 1).then_some(Redeemed::AuthenticatorApp))
}

/// A stored secret's bytes.
pub(crate) fn secret_of(stored: &str) -> Result<Vec<u8>> {
    totp::from_base32(stored)
        .ok_or_else(|| Error::Internal("stored TOTP secret is not base32".into()))
}

/// Replaces the user's recovery codes with new ones, returned as the user is shown them (once).
pub(crate) async fn renew_recovery_codes(
    conn: &mut AnyConnection,
    user: &UserId,
) -> Result<Vec<String>> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.as_str())
        .execute(&mut *conn)
        .await?;
    let codes = recovery::generate();
    for code in &codes {
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)",
        )
        .bind(user.as_str())
        .bind(recovery::digest_of(code))
        .execute(&mut *conn)
        .await?;
    }
    Ok(codes)
}

/// Removes every second factor of the user: the app (confirmed or being added) and the codes.
pub(crate) async fn remove_all(conn: &mut AnyConnection, user: &UserId) -> Result<()> {
    for table in ["totp_factors", "recovery_codes"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE user_id = $1"
        )))
        .bind(user.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
