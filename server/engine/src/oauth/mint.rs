//! Minting tokens: signing happens before the short write transaction that records them, so a
//! SQLite writer never holds its lock through an RSA signature.

use crate::applications::{Application, GrantType};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::ids::OrgId;
use crate::jwt::typ;
use crate::oauth::claims::{AccessClaims, Actor, IdClaims, AUT_USER};
use crate::oauth::grants::Grant;
use crate::oauth::scope::Scope;
use crate::oauth::OAuthError;
use crate::secrets::{digest, Secret};
use crate::users::User;
use crate::Engine;
use aws_lc_rs::digest as sha;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

/// Tokens signed for a grant, not yet recorded.
pub(crate) struct Minted {
    pub access_token: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<Secret>,
    pub refresh_expires_at: i64,
    pub scope: Scope,
    pub expires_in: i64,
}

/// What minting needs besides the grant.
pub(crate) struct MintRequest<'a> {
    pub app: &'a Application,
    pub grant: &'a Grant,
    pub user: &'a User,
    pub scope: &'a Scope,
    pub nonce: Option<&'a str>,
}

/// `at_hash`: base64url of the left half of SHA-256 of the access token (OIDC Core §3.1.3.6).
pub fn at_hash(access_token: &str) -> String {
    let d = sha::digest(&sha::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&d.as_ref()[..16])
}

/// `sid`: a stable, non-reversible name of the SSO session (the SHA-256 of its `isk`).
pub fn session_id(session_hash: &str) -> String {
    digest(session_hash)
}

/// Claims released for the scopes granted (OIDC Core §5.4).
pub fn profile_claims(user: &User, scope: &Scope) -> Map<String, Value> {
    let mut m = Map::new();
    if scope.contains("profile") {
        let name = format!("{} {}", user.given_name, user.family_name)
            .trim()
            .to_owned();
        m.insert("preferred_username".into(), user.username.clone().into());
        if !name.is_empty() {
            m.insert("name".into(), name.into());
        }
        if !user.given_name.is_empty() {
            m.insert("given_name".into(), user.given_name.clone().into());
        }
        if !user.family_name.is_empty() {
            m.insert("family_name".into(), user.family_name.clone().into());
        }
        m.insert("updated_at".into(), user.updated_at.0.into());
    }
    if scope.contains("email") {
        m.insert("email".into(), user.email.clone().into());
    }
    m
}

impl Engine {
    pub(crate) async fn org_name(&self, org: &OrgId) -> Result<String, OAuthError> {
        self.organization_name(org).await.map_err(|e| match e {
            crate::Error::NotFound(_) => {
                OAuthError::server_error("The organization no longer exists.")
            }
            other => other.into(),
        })
    }

    /// Signs an access token, an ID token when `openid` is granted, and draws a refresh token when
    /// the application may refresh.
    pub(crate) async fn mint_user_tokens(
        &self,
        req: MintRequest<'_>,
        now: Timestamp,
    ) -> Result<Minted, OAuthError> {
        let MintRequest {
            app,
            grant,
            user,
            scope,
            nonce,
        } = req;
        let org_name = if grant.org_id == app.org_id {
            app.org_name.clone()
        } else {
            self.org_name(&grant.org_id).await?
        };
        let access = user_access_claims(self.issuer(), app, grant, user, scope, &org_name, now);
        let act = access.act.clone();
        let access_token = self.sign_jwt(typ::ACCESS_TOKEN, &access, now).await?;
        let id_token = match (scope.contains("openid"), grant.session_hash.as_deref()) {
            (true, Some(session_hash)) => {
                let id = IdClaims {
                    iss: self.issuer(),
                    sub: user.id.as_str().to_owned(),
                    aud: app.client_id.clone(),
                    azp: app.client_id.clone(),
                    iat: now.0,
                    exp: now.0 + app.id_token_lifetime,
                    nonce: nonce.map(str::to_owned),
                    sid: session_id(session_hash),
                    isk: session_hash.to_owned(),
                    amr: grant.method.amr(),
                    auth_time: grant.auth_time,
                    at_hash: Some(at_hash(&access_token)),
                    org_id: grant.org_id.as_str().to_owned(),
                    org_name,
                    user_org: user.org_id.as_str().to_owned(),
                    act,
                    profile: profile_claims(user, scope),
                };
                Some(self.sign_jwt(typ::ID_TOKEN, &id, now).await?)
            }
            _ => None,
        };
        // Nothing may refresh a portal's grant (its tokens never leave the server): draw no token.
        let refresh_token =
            (app.allows(GrantType::RefreshToken) && !app.is_portal()).then(Secret::generate);
        Ok(Minted {
            access_token,
            id_token,
            refresh_token,
            refresh_expires_at: now.0 + app.refresh_token_lifetime,
            scope: scope.clone(),
            expires_in: app.access_token_lifetime,
        })
    }
}

/// The claims of a user's access token under `grant`: `act` names the grant's impersonator, so
/// every token of an impersonation grant (code, refresh, exchange) carries it, unchanged.
pub(crate) fn user_access_claims(
    issuer: String,
    app: &Application,
    grant: &Grant,
    user: &User,
    scope: &Scope,
    org_name: &str,
    now: Timestamp,
) -> AccessClaims {
    AccessClaims {
        iss: issuer,
        sub: user.id.as_str().to_owned(),
        aud: app.client_id.clone(),
        client_id: app.client_id.clone(),
        azp: app.client_id.clone(),
        scope: scope.to_string(),
        iat: now.0,
        nbf: now.0,
        exp: now.0 + app.access_token_lifetime,
        jti: grant_token_id(&grant.id),
        aut: AUT_USER.into(),
        org_id: grant.org_id.as_str().to_owned(),
        org_name: org_name.to_owned(),
        user_org: (user.org_id != grant.org_id).then(|| user.org_id.as_str().to_owned()),
        act: grant
            .actor_id
            .as_ref()
            .map(|sub| Actor { sub: sub.clone() }),
    }
}

/// A user access token's `jti` names its grant, so that checking whether the token was revoked
/// (with its grant) needs no row per token: issuing one costs no database write.
pub(crate) fn grant_token_id(grant_id: &str) -> String {
    format!("{grant_id}.{}", uuid::Uuid::new_v4().simple())
}

/// The grant a user access token's `jti` names.
pub(crate) fn grant_of_token_id(jti: &str) -> Option<&str> {
    jti.split_once('.')
        .map(|(grant, _)| grant)
        .filter(|g| !g.is_empty())
}

/// Records what [`Engine::mint_user_tokens`] drew, inside the caller's transaction: the refresh
/// token's digest (the access token needs nothing, see [`grant_token_id`]).
pub(crate) async fn record_minted(
    tx: &mut Tx,
    grant_id: &str,
    minted: &Minted,
) -> Result<(), OAuthError> {
    if let Some(rt) = &minted.refresh_token {
        sqlx::query("INSERT INTO refresh_tokens (token_hash, grant_id, expires_at, used_at) VALUES ($1, $2, $3, NULL)")
            .bind(digest(rt.expose()))
            .bind(grant_id)
            .bind(minted.refresh_expires_at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
