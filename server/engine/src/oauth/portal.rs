//! The Console and My Account are clients of our own provider. Their tokens stay on the server:
//! the grant their sign-in produced, bound to the browser's SSO session, is what their server
//! functions act with.

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::oauth::grants::{grant_from_row, GRANT_COLUMNS};
use crate::oauth::scope::Scope;
use crate::sessions::Principal;
use crate::Engine;

impl Engine {
    /// The scopes the SSO session's latest sign-in to `app` produced; `Unauthenticated` when the
    /// browser has not signed into it in this session (or that sign-in was revoked).
    pub async fn portal_scope(&self, principal: &Principal, app: &Application, _now: Timestamp) -> Result<Scope> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GRANT_COLUMNS} FROM oauth_grants g WHERE g.session_hash = $1 AND g.app_id = $2 \
             AND g.activated_at IS NOT NULL AND g.revoked_at IS NULL ORDER BY g.activated_at DESC LIMIT 1"
        )))
        .bind(&principal.session_hash)
        .bind(app.id.as_str())
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Error::Unauthenticated)?;
        let grant = grant_from_row(&row).map_err(|e| Error::Internal(e.to_string()))?;
        if grant.user_id != principal.user_id {
            return Err(Error::Unauthenticated);
        }
        Ok(grant.scope)
    }
}
