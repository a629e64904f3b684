//! Login throttling, per account and per client address, kept in the database so that every node
//! and every restart sees the same counts.
//!
//! A key may fail a few times freely; after that each further failure blocks it for twice as long
//! as the last (1 s, 2 s, 4 s … up to 15 minutes). Counts are forgotten an hour after the last failure.

use crate::clock::Timestamp;
use crate::db::Db;
use crate::error::{Error, Result};

const MAX_BLOCK_SECS: i64 = 15 * 60;
const FORGET_AFTER_SECS: i64 = 3600;

/// What is being throttled, with how many failures it is allowed before blocking starts.
pub enum ThrottleKey {
    /// A username (case-folded) in an organization.
    Account { org: String, username_key: String },
    /// A client address; more lenient, since many people may share one.
    Address(String),
    /// The second factor of a user (by id). Apart from the password's count, and never cleared
    /// by a right password: knowing the password must not buy more guesses at the code.
    SecondFactor(String),
}

impl ThrottleKey {
    fn key(&self) -> String {
        match self {
            Self::Account { org, username_key } => format!("user:{org}:{username_key}"),
            Self::Address(a) => format!("addr:{a}"),
            Self::SecondFactor(user) => format!("factor:{user}"),
        }
    }

    fn free_failures(&self) -> i64 {
        match self {
            Self::Account { .. } | Self::SecondFactor(_) => 5,
            Self::Address(_) => 20,
        }
    }
}

/// Refuses when any key is blocked, saying how long to wait.
pub async fn check(db: &Db, keys: &[ThrottleKey], now: Timestamp) -> Result<()> {
    let mut wait = 0;
    for k in keys {
        let blocked_until: Option<i64> =
            sqlx::query_scalar("SELECT blocked_until FROM login_throttle WHERE throttle_key = $1")
                .bind(k.key())
                .fetch_optional(db.pool())
                .await?;
        if let Some(until) = blocked_until {
            wait = wait.max(until - now.0);
        }
    }
    if wait > 0 {
        Err(Error::Throttled {
            retry_after_secs: wait,
        })
    } else {
        Ok(())
    }
}

/// Counts one failure against every key.
pub async fn record_failure(db: &Db, keys: &[ThrottleKey], now: Timestamp) -> Result<()> {
    let mut tx = db.begin().await?;
    for k in keys {
        let key = k.key();
        let previous: Option<(i64, i64)> = sqlx::query_as(
            "SELECT failures, last_failure FROM login_throttle WHERE throttle_key = $1",
        )
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await?;
        let failures = match previous {
            Some((n, last)) if now.0 - last < FORGET_AFTER_SECS => n + 1,
            _ => 1,
        };
        let blocked_until = match failures - k.free_failures() {
            over if over > 0 => now.0 + block_secs(over),
            _ => 0,
        };
        sqlx::query(
            "INSERT INTO login_throttle (throttle_key, failures, blocked_until, last_failure) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (throttle_key) DO UPDATE SET failures = $2, blocked_until = $3, last_failure = $4",
        )
        .bind(&key)
        .bind(failures)
        .bind(blocked_until)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Forgets the failures of a key (after a successful sign-in to that account).
pub async fn clear(db: &Db, key: &ThrottleKey) -> Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
        .bind(key.key())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// 1, 2, 4 … seconds for the first, second, third … failure past the free ones, capped.
fn block_secs(over: i64) -> i64 {
    let exp = (over - 1).clamp(0, 20) as u32;
    2i64.pow(exp).min(MAX_BLOCK_SECS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_then_caps() {
        assert_eq!(super::block_secs(1), 1);
        assert_eq!(super::block_secs(2), 2);
        assert_eq!(super::block_secs(5), 16);
        assert_eq!(super::block_secs(40), super::MAX_BLOCK_SECS);
    }
}
