//! Token revocation (RFC 7009).

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::jwt::{typ, Expiry};
use crate::oauth::claims::AccessClaims;
use crate::oauth::grants::revoke_grant;
use crate::oauth::OAuthError;
use crate::secrets::digest;
use crate::session_end::grants::{self as ending, Revocation};
use crate::Engine;

impl Engine {
    /// Revokes `token` if `client` owns it. A refresh token takes its whole grant with it (so the
    /// access tokens issued from it stop working); an access token is revoked alone. Unknown,
    /// foreign and already-expired tokens are not an error (RFC 7009 §2.2).
    pub async fn revoke_token(
        &self,
        client: &Application,
        token: &str,
        now: Timestamp,
    ) -> Result<(), OAuthError> {
        if token.split('.').count() == 3 {
            let Ok(claims) = self
                .verify_jwt_at::<AccessClaims>(token, typ::ACCESS_TOKEN, now, Expiry::Ignore)
                .await
            else {
                return Ok(());
            };
            if claims.client_id != client.client_id || claims.exp <= now.0 {
                return Ok(());
            }
            let mut tx = self.db.begin().await?;
            sqlx::query(
                "INSERT INTO access_tokens (jti, grant_id, expires_at, revoked_at) VALUES ($1, NULL, $2, $3) \
                 ON CONFLICT (jti) DO UPDATE SET revoked_at = $3",
            )
            .bind(&claims.jti)
            .bind(claims.exp)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
            // What `organization_switch` made from this token ends with it.
            ending::revoke(&mut tx, Revocation::DerivedFromToken(&claims.jti), now).await?;
            tx.commit().await?;
            return Ok(());
        }
        let grant_id: Option<String> = sqlx::query_scalar(
            "SELECT g.id FROM refresh_tokens r JOIN oauth_grants g ON g.id = r.grant_id \
             WHERE r.token_hash = $1 AND g.app_id = $2",
        )
        .bind(digest(token))
        .bind(client.id.as_str())
        .fetch_optional(self.db.pool())
        .await?;
        if let Some(grant_id) = grant_id {
            let mut tx = self.db.begin().await?;
            revoke_grant(&mut tx, &grant_id, now).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Forgets what can no longer matter: expired codes, refresh tokens, access-token records and
    /// re-authentication demands, and grants past their lifetime. Run periodically.
    pub async fn purge_expired_tokens(&self, now: Timestamp) -> Result<(), OAuthError> {
        let mut tx = self.db.begin().await?;
        // A grant stays while a refresh token of it is in date (access tokens from that refresh
        // expire before the refresh token does: its lifetime is never shorter).
        for sql in [
            "DELETE FROM authorization_codes WHERE expires_at <= $1",
            "DELETE FROM oauth_grants WHERE expires_at <= $1 AND NOT EXISTS \
             (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = oauth_grants.id AND r.expires_at > $1)",
            "DELETE FROM refresh_tokens WHERE expires_at <= $1",
            "DELETE FROM access_tokens WHERE expires_at <= $1",
            "DELETE FROM reauthentications WHERE expires_at <= $1",
        ] {
            sqlx::query(sql).bind(now.0).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
