//! What users have approved for each application (the consent page's memory).

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::oauth::scope::Scope;
use crate::oauth::OAuthError;
use crate::sessions::Principal;
use crate::Engine;

impl Engine {
    pub(crate) async fn consented_scopes(
        &self,
        principal: &Principal,
        app: &Application,
    ) -> Result<Scope, OAuthError> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT scope FROM consents WHERE user_id = $1 AND app_id = $2")
                .bind(principal.user_id.as_str())
                .bind(app.id.as_str())
                .fetch_all(self.db.pool())
                .await?;
        Ok(rows.into_iter().collect())
    }

    pub(crate) async fn record_consent(
        &self,
        principal: &Principal,
        app: &Application,
        scope: &Scope,
        now: Timestamp,
    ) -> Result<(), OAuthError> {
        let mut tx = self.db.begin().await?;
        for s in scope.iter() {
            sqlx::query(
                "INSERT INTO consents (user_id, app_id, scope, granted_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id, app_id, scope) DO NOTHING",
            )
            .bind(principal.user_id.as_str())
            .bind(app.id.as_str())
            .bind(s)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
