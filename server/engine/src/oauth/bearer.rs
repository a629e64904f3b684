//! Access tokens presented to us as bearer tokens (userinfo, SCIM, management APIs), and
//! introspection (RFC 7662) which answers the same question for a client.

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::jwt::{typ, TokenRejected};
use crate::oauth::claims::AccessClaims;
use crate::oauth::grants::{grant_from_row, GRANT_COLUMNS};
use crate::oauth::mint::grant_of_token_id;
use crate::oauth::scope::Scope;
use crate::oauth::OAuthError;
use crate::secrets::digest;
use crate::session_end::{session_still_holds, SESSION_COLUMNS, SESSION_OF_GRANT};
use crate::users::{self, User, UserStatus};
use crate::Engine;
use serde_json::{json, Map, Value};
use sqlx::Row;

/// A live access token: its claims, and its user when it was issued for one. Only
/// [`Engine::authenticate_bearer`] makes one, so a [`crate::Principal`] made from it
/// ([`Engine::principal_from_bearer`]) always stands for a token we verified.
#[derive(Clone, Debug)]
pub struct BearerAccess {
    pub(crate) claims: AccessClaims,
    pub(crate) scope: Scope,
    pub(crate) user: Option<User>,
    /// The impersonation the token's grant was made in (`None` for a client's own token).
    pub(crate) impersonation_id: Option<String>,
    /// The HTTP request the token was presented in, when the caller said so.
    pub(crate) request: Option<std::sync::Arc<crate::principal::RequestContext>>,
}

impl BearerAccess {
    pub fn claims(&self) -> &AccessClaims {
        &self.claims
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The user the token was issued for; `None` for a client's own token.
    pub fn user(&self) -> Option<&User> {
        self.user.as_ref()
    }
}

fn invalid() -> OAuthError {
    OAuthError::invalid_token("The access token is invalid, expired or revoked.")
}

impl Engine {
    /// Validates an access token: our signature and issuer, in date, typed `at+jwt` (an ID token is
    /// refused), not revoked, and for a user token, a user who is still active.
    pub async fn authenticate_bearer(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<BearerAccess, OAuthError> {
        let claims: AccessClaims = self
            .verify_jwt(token, typ::ACCESS_TOKEN, now)
            .await
            .map_err(|e| match e {
                // A database failure is ours, not the token's: never "invalid".
                TokenRejected::Ours(failure) => OAuthError::from(failure),
                e => {
                    tracing::debug!("bearer token rejected: {e}");
                    invalid()
                }
            })?;
        if !claims.is_for_user() {
            // A client's own token is live unless it was revoked on its own.
            let revoked: Option<Option<i64>> =
                sqlx::query_scalar("SELECT revoked_at FROM access_tokens WHERE jti = $1")
                    .bind(&claims.jti)
                    .fetch_optional(self.db.pool())
                    .await?;
            if matches!(revoked, Some(Some(_))) {
                return Err(invalid());
            }
            return Ok(BearerAccess {
                scope: Scope::from_stored(&claims.scope),
                claims,
                user: None,
                impersonation_id: None,
                request: None,
            });
        }
        // A user token lives while its grant does (see `grant_token_id`) and, unless the grant may
        // outlive it, the grant's session; its user is active, and it was not revoked on its own:
        // one query.
        let grant = grant_of_token_id(&claims.jti).ok_or_else(invalid)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT g.revoked_at AS grant_revoked, g.user_id AS grant_user, g.scope AS grant_scope, \
             g.impersonation_id AS grant_impersonation, \
             (SELECT a.revoked_at FROM access_tokens a WHERE a.jti = $2) AS token_revoked, \
             {SESSION_COLUMNS}, {} \
             FROM oauth_grants g JOIN users u ON u.id = g.user_id {SESSION_OF_GRANT} WHERE g.id = $1",
            users::PREFIXED_COLUMNS
        )))
        .bind(grant)
        .bind(&claims.jti)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(invalid)?;
        let grant_revoked: Option<i64> = row.try_get("grant_revoked")?;
        let token_revoked: Option<i64> = row.try_get("token_revoked")?;
        let grant_user: String = row.try_get("grant_user")?;
        let grant_scope = Scope::from_stored(&row.try_get::<String, _>("grant_scope")?);
        let impersonation_id: Option<String> = row.try_get("grant_impersonation")?;
        let user = users::user_from_row(&row)?;
        if grant_revoked.is_some()
            || token_revoked.is_some()
            || grant_user != claims.sub
            || user.status != UserStatus::Active
            || !session_still_holds(&row, &grant_scope, now)?
        {
            return Err(invalid());
        }
        let user = Some(user);
        Ok(BearerAccess {
            scope: Scope::from_stored(&claims.scope),
            claims,
            user,
            impersonation_id,
            request: None,
        })
    }

    /// The claims `/oauth2/userinfo` answers for a live access token (OIDC Core §5.3): a user's
    /// token carrying `openid`, with the profile its scope allows and, for an impersonated user,
    /// who really acts (`act`, as on the token, RFC 8693 §4.1).
    pub fn userinfo(&self, access: &BearerAccess) -> Result<Map<String, Value>, OAuthError> {
        let Some(user) = &access.user else {
            return Err(OAuthError::invalid_token(
                "The token was not issued for a user.",
            ));
        };
        if !access.scope.contains("openid") {
            return Err(OAuthError::insufficient_scope(
                "The token lacks the openid scope.",
            ));
        }
        let mut claims = crate::oauth::mint::profile_claims(user, &access.scope);
        claims.insert("sub".into(), Value::from(user.id.as_str()));
        if let Some(act) = &access.claims.act {
            claims.insert("act".into(), json!({ "sub": act.sub }));
        }
        Ok(claims)
    }

    /// RFC 7662. Anything not active, not ours, or issued to another client is exactly
    /// `{"active":false}`.
    pub async fn introspect(
        &self,
        client: &Application,
        token: &str,
        now: Timestamp,
    ) -> Result<Value, OAuthError> {
        let inactive = json!({ "active": false });
        if token.split('.').count() == 3 {
            return match self.authenticate_bearer(token, now).await {
                Ok(access) if access.claims.client_id == client.client_id => {
                    Ok(introspection_of(&access))
                }
                Ok(_)
                | Err(OAuthError {
                    code: crate::oauth::ErrorCode::InvalidToken,
                    ..
                }) => Ok(inactive),
                Err(e) => Err(e),
            };
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GRANT_COLUMNS}, r.expires_at, r.used_at, g.created_at, {SESSION_COLUMNS} \
             FROM refresh_tokens r JOIN oauth_grants g ON g.id = r.grant_id {SESSION_OF_GRANT} \
             WHERE r.token_hash = $1"
        )))
        .bind(digest(token))
        .fetch_optional(self.db.pool())
        .await?;
        let Some(row) = row else { return Ok(inactive) };
        let grant = grant_from_row(&row)?;
        let expires_at: i64 = row.try_get("expires_at")?;
        let live = grant.app_id == client.id
            && !grant.revoked
            && session_still_holds(&row, &grant.scope, now)?
            && row.try_get::<Option<i64>, _>("used_at")?.is_none()
            && expires_at > now.0;
        let user = users::find_anywhere(self.db.pool(), grant.user_id.as_str()).await?;
        match user {
            Some(u) if live && u.status == UserStatus::Active => {
                let mut m = Map::new();
                m.insert("active".into(), true.into());
                m.insert("token_type".into(), "refresh_token".into());
                m.insert("scope".into(), grant.scope.to_string().into());
                m.insert("client_id".into(), client.client_id.clone().into());
                m.insert("sub".into(), u.id.as_str().into());
                m.insert("username".into(), u.username.into());
                m.insert("exp".into(), expires_at.into());
                m.insert("iat".into(), row.try_get::<i64, _>("created_at")?.into());
                m.insert("iss".into(), self.issuer().into());
                if let Some(actor) = grant.actor_id {
                    m.insert("act".into(), json!({ "sub": actor }));
                }
                Ok(Value::Object(m))
            }
            _ => Ok(inactive),
        }
    }
}

fn introspection_of(access: &BearerAccess) -> Value {
    let c = &access.claims;
    let mut m = Map::new();
    m.insert("active".into(), true.into());
    m.insert("token_type".into(), "Bearer".into());
    m.insert("scope".into(), c.scope.clone().into());
    m.insert("client_id".into(), c.client_id.clone().into());
    m.insert("sub".into(), c.sub.clone().into());
    m.insert("aud".into(), c.aud.clone().into());
    m.insert("iss".into(), c.iss.clone().into());
    m.insert("exp".into(), c.exp.into());
    m.insert("iat".into(), c.iat.into());
    m.insert("nbf".into(), c.nbf.into());
    m.insert("jti".into(), c.jti.clone().into());
    m.insert("aut".into(), c.aut.clone().into());
    m.insert("org_id".into(), c.org_id.clone().into());
    if let Some(u) = &access.user {
        m.insert("username".into(), u.username.clone().into());
    }
    if let Some(act) = &c.act {
        m.insert("act".into(), json!({ "sub": act.sub }));
    }
    Value::Object(m)
}
