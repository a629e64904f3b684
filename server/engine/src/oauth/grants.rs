//! Grants: one user's authorization of one application from one sign-in. Codes, refresh tokens and
//! user access tokens hang off a grant; revoking it revokes them all.

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::factors::SignInMethod;
use crate::ids::{AppId, OrgId, UserId};
use crate::oauth::scope::Scope;
use crate::oauth::OAuthError;
use crate::Engine;
use sqlx::any::AnyRow;
use sqlx::Row;

/// How long an authorization code can be redeemed; a grant is kept at least this long.
pub const CODE_LIFETIME_SECS: i64 = 300;

#[derive(Clone, Debug)]
pub(crate) struct Grant {
    pub id: String,
    pub app_id: AppId,
    pub user_id: UserId,
    pub org_id: OrgId,
    /// The impersonator, when the grant came from an impersonation session.
    pub actor_id: Option<String>,
    pub scope: Scope,
    pub session_hash: Option<String>,
    pub auth_time: i64,
    /// How the session the grant came from was signed into (the ID token's `amr`).
    pub method: SignInMethod,
    pub revoked: bool,
}

pub(crate) const GRANT_COLUMNS: &str =
    "g.id AS grant_id, g.app_id, g.user_id, g.org_id AS grant_org_id, g.actor_id, \
    g.scope, g.session_hash, g.auth_time, g.amr, g.revoked_at";

pub(crate) fn grant_from_row(row: &AnyRow) -> Result<Grant, OAuthError> {
    Ok(Grant {
        id: row.try_get("grant_id")?,
        app_id: AppId::from_db(row.try_get("app_id")?),
        user_id: UserId::from_db(row.try_get("user_id")?),
        org_id: OrgId::from_db(row.try_get("grant_org_id")?),
        actor_id: row.try_get("actor_id")?,
        scope: Scope::from_stored(&row.try_get::<String, _>("scope")?),
        session_hash: row.try_get("session_hash")?,
        auth_time: row.try_get("auth_time")?,
        method: SignInMethod::from_stored(&row.try_get::<String, _>("amr")?),
        revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
    })
}

/// The grant of a code or refresh-token row, which must have been issued to `client`.
pub(crate) fn client_grant(
    row: &AnyRow,
    client: &Application,
    what: &str,
) -> Result<Grant, OAuthError> {
    let grant = grant_from_row(row)?;
    if grant.app_id != client.id {
        return Err(OAuthError::invalid_grant(format!(
            "The {what} was issued to another client."
        )));
    }
    Ok(grant)
}

/// What a new grant records.
pub(crate) struct NewGrant<'a> {
    pub app: &'a Application,
    pub user_id: &'a UserId,
    pub org_id: &'a OrgId,
    pub actor_id: Option<&'a str>,
    /// The impersonation the grant is made under (with `actor_id`).
    pub impersonation_id: Option<&'a str>,
    pub scope: &'a Scope,
    pub session_hash: &'a str,
    pub auth_time: Timestamp,
    pub method: SignInMethod,
    /// The grant and access token (`jti`) this one was derived from (`organization_switch`): it
    /// ends with either.
    pub source: Option<(&'a str, &'a str)>,
    /// Whether its tokens are issued at once (a token exchange), rather than when a code is
    /// redeemed.
    pub active_now: bool,
}

impl<'a> NewGrant<'a> {
    /// The grant a browser session's sign-in into `app` makes: the session's user (with the
    /// impersonation it is in), in their organization.
    pub fn of_session(
        app: &'a Application,
        principal: &'a crate::principal::Principal,
        session_hash: &'a str,
        scope: &'a Scope,
        active_now: bool,
    ) -> Self {
        Self {
            app,
            user_id: principal.user_id(),
            org_id: principal.org_id(),
            actor_id: principal.actor().map(UserId::as_str),
            impersonation_id: principal.impersonation_id(),
            scope,
            session_hash,
            auth_time: principal.auth_time(),
            method: principal.sign_in_method().unwrap_or(SignInMethod::Password),
            source: None,
            active_now,
        }
    }
}

pub(crate) async fn insert_grant(
    tx: &mut Tx,
    g: NewGrant<'_>,
    now: Timestamp,
) -> Result<String, OAuthError> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO oauth_grants (id, app_id, user_id, org_id, actor_id, scope, session_hash, auth_time, \
         created_at, activated_at, expires_at, revoked_at, impersonation_id, source_grant_id, source_jti, amr) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, $13, $14, $15)",
    )
    .bind(&id)
    .bind(g.app.id.as_str())
    .bind(g.user_id.as_str())
    .bind(g.org_id.as_str())
    .bind(g.actor_id)
    .bind(g.scope.to_string())
    .bind(g.session_hash)
    .bind(g.auth_time.0)
    .bind(now.0)
    .bind(g.active_now.then_some(now.0))
    // Long enough for the code to be redeemed and its tokens to expire. Refreshing does not move
    // it: the purge keeps a grant while any of its refresh tokens is in date.
    .bind(now.0 + CODE_LIFETIME_SECS + g.app.refresh_token_lifetime.max(g.app.access_token_lifetime))
    .bind(g.impersonation_id)
    .bind(g.source.map(|(grant, _)| grant))
    .bind(g.source.map(|(_, jti)| jti))
    .bind(g.method.as_stored())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Revokes a grant and, with it, every refresh and access token issued under it.
pub(crate) async fn revoke_grant(
    tx: &mut Tx,
    grant_id: &str,
    now: Timestamp,
) -> Result<(), OAuthError> {
    use crate::session_end::grants::{revoke, Revocation};
    revoke(tx, Revocation::Grant(grant_id), now).await?;
    Ok(())
}

impl Engine {
    /// Revokes a grant in its own transaction (used when a replayed code or refresh token shows
    /// that one of its tokens leaked).
    pub(crate) async fn revoke_grant_now(
        &self,
        grant_id: &str,
        now: Timestamp,
    ) -> Result<(), OAuthError> {
        let mut tx = self.db.begin().await?;
        revoke_grant(&mut tx, grant_id, now).await?;
        tx.commit().await?;
        tracing::warn!(
            grant = grant_id,
            "grant revoked after a replayed code or refresh token"
        );
        Ok(())
    }
}
