//! The refresh token grant (RFC 6749 §6): rotation on every use, reuse detection, and telling a
//! concurrent duplicate from a replay.

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::impersonation::standing;
use crate::oauth::grants::{client_grant, Grant, GRANT_COLUMNS};
use crate::oauth::mint::{record_minted, MintRequest};
use crate::oauth::scope::Scope;
use crate::oauth::token::{active_user, required, TokenParams, TokenResponse};
use crate::oauth::OAuthError;
use crate::secrets::digest;
use crate::session_end::{session_still_holds, SESSION_COLUMNS, SESSION_OF_GRANT};
use crate::users;
use crate::Engine;
use sqlx::Row;

/// What presenting an already rotated token means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reuse {
    Duplicate,
    Replay,
}

/// A rotated refresh token presented again within the application's **Refresh token grace
/// period** by the client it was issued to is taken for a concurrent duplicate of the request that
/// used it (two tabs, a retry after a lost response): it is refused, but it ends nothing, so the
/// request that won keeps what it got. Otherwise — and always with the default grace of 0 — it is
/// a replay: someone holds a copy, and the whole family ends (RFC 9700 §4.14.2).
fn reuse(used_at: i64, now: Timestamp, grace_secs: i64) -> Reuse {
    if grace_secs > 0 && now.0 - used_at <= grace_secs {
        Reuse::Duplicate
    } else {
        Reuse::Replay
    }
}

impl Engine {
    pub(crate) async fn refresh(
        &self,
        client: &Application,
        params: &TokenParams,
        now: Timestamp,
    ) -> Result<TokenResponse, OAuthError> {
        let token = required(&params.refresh_token, "refresh_token")?;
        let token_hash = digest(token);
        // One read for the token, its grant, its session and its user; the write below is two
        // statements.
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GRANT_COLUMNS}, r.expires_at AS refresh_expires_at, r.used_at, {SESSION_COLUMNS}, {} \
             FROM refresh_tokens r JOIN oauth_grants g ON g.id = r.grant_id JOIN users u ON u.id = g.user_id \
             {SESSION_OF_GRANT} WHERE r.token_hash = $1",
            users::PREFIXED_COLUMNS
        )))
        .bind(&token_hash)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| OAuthError::invalid_grant("The refresh token is invalid."))?;
        let grant = client_grant(&row, client, "refresh token")?;
        if let Some(used_at) = row.try_get::<Option<i64>, _>("used_at")? {
            return Err(self.reused(&grant, used_at, client, now).await?);
        }
        if grant.revoked || row.try_get::<i64, _>("refresh_expires_at")? <= now.0 {
            return Err(OAuthError::invalid_grant(
                "The refresh token has expired or was revoked.",
            ));
        }
        if !session_still_holds(&row, &grant.scope, now)? {
            return Err(OAuthError::invalid_grant(
                "The sign-in session this token belongs to has ended.",
            ));
        }
        // Made under an impersonation: the decision that allowed it is made again. The impersonator
        // may have lost the right, or the user gained what the impersonator does not hold.
        if let Some(impersonation) = row.try_get::<Option<String>, _>("grant_impersonation_id")? {
            let mut conn = self.db.pool().acquire().await?;
            if let Some(refusal) = standing::refusal(&mut conn, &impersonation, client, now).await?
            {
                drop(conn);
                self.revoke_grant_now(&grant.id, now).await?;
                return Err(OAuthError::invalid_grant(refusal.message()));
            }
        }
        let scope = match params.scope.as_deref() {
            Some(raw) if !raw.trim().is_empty() => {
                let asked = Scope::parse(raw)?;
                if !asked.is_subset(&grant.scope) {
                    return Err(OAuthError::invalid_scope(
                        "A refresh cannot add scopes to the grant.",
                    ));
                }
                asked
            }
            _ => grant.scope.clone(),
        };
        let user = active_user(&row)?;
        let minted = self
            .mint_user_tokens(
                MintRequest {
                    app: client,
                    grant: &grant,
                    user: &user,
                    scope: &scope,
                    nonce: None,
                },
                now,
            )
            .await?;
        let mut tx = self.db.begin().await?;
        // Rotation claims the token only while its grant stands, so a revocation that commits
        // first always wins; of concurrent requests, exactly one claims it.
        let claimed = sqlx::query(
            "UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
             AND EXISTS (SELECT 1 FROM oauth_grants g WHERE g.id = refresh_tokens.grant_id AND g.revoked_at IS NULL)",
        )
        .bind(now.0)
        .bind(&token_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            let used: Option<Option<i64>> =
                sqlx::query_scalar("SELECT used_at FROM refresh_tokens WHERE token_hash = $1")
                    .bind(&token_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
            tx.rollback().await?;
            return Err(match used {
                // Another request rotated it between our read and this write.
                Some(Some(used_at)) => self.reused(&grant, used_at, client, now).await?,
                _ => OAuthError::invalid_grant("The refresh token has expired or was revoked."),
            });
        }
        record_minted(&mut tx, &grant.id, &minted).await?;
        tx.commit().await?;
        Ok(minted.into())
    }

    /// The answer to a token that was already rotated: a replay also ends its family.
    async fn reused(
        &self,
        grant: &Grant,
        used_at: i64,
        client: &Application,
        now: Timestamp,
    ) -> Result<OAuthError, OAuthError> {
        if reuse(used_at, now, client.refresh_grace_secs) == Reuse::Replay {
            self.revoke_grant_now(&grant.id, now).await?;
        }
        Ok(OAuthError::invalid_grant(
            "The refresh token has already been used.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reuse_within_the_grace_period_is_a_duplicate() {
        let used = 1_000;
        assert_eq!(reuse(used, Timestamp(used), 5), Reuse::Duplicate);
        assert_eq!(reuse(used, Timestamp(used + 5), 5), Reuse::Duplicate);
        // A node whose clock is a little behind the one that rotated sees a negative age.
        assert_eq!(reuse(used, Timestamp(used - 2), 5), Reuse::Duplicate);
        assert_eq!(reuse(used, Timestamp(used + 6), 5), Reuse::Replay);
    }

    #[test]
    fn without_a_grace_period_every_reuse_is_a_replay() {
        let used = 1_000;
        assert_eq!(reuse(used, Timestamp(used), 0), Reuse::Replay);
        assert_eq!(reuse(used, Timestamp(used - 2), 0), Reuse::Replay);
    }
}
