//! The token endpoint (RFC 6749 §3.2): authorization code, refresh token and client credentials.

use crate::applications::{Application, ClientType, GrantType};
use crate::clock::Timestamp;
use crate::jwt::typ;
use crate::oauth::claims::{AccessClaims, AUT_APPLICATION};
use crate::oauth::grants::{client_grant, revoke_grant, GRANT_COLUMNS};
use crate::oauth::mint::{record_minted, MintRequest, Minted};
use crate::oauth::scope::Scope;
use crate::oauth::OAuthError;
use crate::secrets::digest;
use crate::users::{self, User, UserStatus};
use crate::Engine;
use aws_lc_rs::digest as sha;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Form parameters of a token request (client credentials are taken out by the caller).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TokenParams {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
    /// Token exchange (RFC 8693 §2.1).
    pub subject_token: Option<String>,
    pub subject_token_type: Option<String>,
    pub actor_token: Option<String>,
    pub actor_token_type: Option<String>,
    pub requested_token_type: Option<String>,
    /// Organization switch: the token to carry over and the organization to carry it into.
    pub token: Option<String>,
    pub switching_organization: Option<String>,
    /// The HTTP request the token request came in (never a form parameter): the audit events it
    /// causes carry its correlation id.
    #[serde(skip)]
    pub request: Option<std::sync::Arc<crate::audit::request::RequestContext>>,
}

/// The successful response (RFC 6749 §5.1).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    /// Token exchange only (RFC 8693 §2.2.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_token_type: Option<String>,
    pub token_type: String,
    pub expires_in: i64,
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

impl TokenResponse {
    /// An access token alone: no refresh token, no ID token (client credentials, token exchange,
    /// organization switch).
    pub(crate) fn bearer(access_token: String, expires_in: i64, scope: String) -> Self {
        Self {
            access_token,
            issued_token_type: None,
            token_type: "Bearer".into(),
            expires_in,
            scope,
            refresh_token: None,
            id_token: None,
        }
    }
}

impl From<Minted> for TokenResponse {
    fn from(m: Minted) -> Self {
        Self {
            access_token: m.access_token,
            issued_token_type: None,
            token_type: "Bearer".into(),
            expires_in: m.expires_in,
            scope: m.scope.to_string(),
            refresh_token: m.refresh_token.map(|s| s.expose().to_owned()),
            id_token: m.id_token,
        }
    }
}

pub(crate) fn required<'a>(v: &'a Option<String>, name: &str) -> Result<&'a str, OAuthError> {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| OAuthError::invalid_request(format!("{name} is missing.")))
}

/// The grant's user (read in the same row), if they may still receive tokens.
pub(crate) fn active_user(row: &AnyRow) -> Result<User, OAuthError> {
    let user = users::user_from_row(row)?;
    if user.status != UserStatus::Active {
        return Err(OAuthError::invalid_grant("The user account is not active."));
    }
    Ok(user)
}

/// The S256 code challenge of a verifier (RFC 7636 §4.2).
pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(sha::digest(&sha::SHA256, verifier.as_bytes()).as_ref())
}

/// RFC 7636 §4.6.
pub(crate) fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    well_formed && s256(verifier) == challenge
}

impl Engine {
    /// Serves one token request from an authenticated client. The Console and My Account are not
    /// such clients: their grants are recorded inside the server ([`Engine::sign_into_portal`]),
    /// with no token to ask for, so no request for them is served here.
    #[tracing::instrument(
        name = "token",
        skip_all,
        fields(client_id = %client.client_id, grant_type = params.grant_type.as_deref().unwrap_or_default())
    )]
    pub async fn token(
        &self,
        client: &Application,
        params: &TokenParams,
        now: Timestamp,
    ) -> Result<TokenResponse, OAuthError> {
        if client.is_portal() {
            return Err(OAuthError::invalid_client(
                "This application signs in only through the server's own pages.",
            ));
        }
        let raw = required(&params.grant_type, "grant_type")?;
        let grant = GrantType::parse(raw).ok_or_else(|| {
            OAuthError::unsupported_grant_type(format!("grant_type {raw} is not supported."))
        })?;
        if !client.allows(grant) {
            return Err(OAuthError::unauthorized_client(format!(
                "The application may not use the {raw} grant."
            )));
        }
        let issued = match grant {
            GrantType::AuthorizationCode => self.redeem_code(client, params, now).await,
            GrantType::RefreshToken => self.refresh(client, params, now).await,
            GrantType::ClientCredentials => self.client_credentials(client, params, now).await,
            GrantType::TokenExchange => self.token_exchange(client, params, now).await,
            GrantType::OrganizationSwitch => self.organization_switch(client, params, now).await,
        }
        .inspect_err(|e| tracing::debug!(error = %e, "token request refused"))?;
        metrics::counter!(
            crate::figures::counters::TOKENS_ISSUED,
            "grant_type" => grant.as_str(),
            "organization" => client.org_id.to_string(),
        )
        .increment(1);
        Ok(issued)
    }

    /// The authorization code grant.
    pub(crate) async fn redeem_code(
        &self,
        client: &Application,
        params: &TokenParams,
        now: Timestamp,
    ) -> Result<TokenResponse, OAuthError> {
        let code = required(&params.code, "code")?;
        let code_hash = digest(code);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {GRANT_COLUMNS}, {}, c.redirect_uri, c.code_challenge, c.nonce, c.expires_at, c.redeemed_at \
             FROM authorization_codes c JOIN oauth_grants g ON g.id = c.grant_id JOIN users u ON u.id = g.user_id \
             WHERE c.code_hash = $1",
            users::PREFIXED_COLUMNS
        )))
        .bind(&code_hash)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| OAuthError::invalid_grant("The authorization code is invalid."))?;
        let grant = client_grant(&row, client, "authorization code")?;
        if row.try_get::<Option<i64>, _>("redeemed_at")?.is_some() {
            // A second redemption means the code leaked: revoke what the first one issued.
            self.revoke_grant_now(&grant.id, now).await?;
            return Err(OAuthError::invalid_grant(
                "The authorization code has already been used.",
            ));
        }
        if grant.revoked || row.try_get::<i64, _>("expires_at")? <= now.0 {
            return Err(OAuthError::invalid_grant(
                "The authorization code has expired.",
            ));
        }
        let stored_redirect: String = row.try_get("redirect_uri")?;
        if params.redirect_uri.as_deref() != Some(stored_redirect.as_str()) {
            return Err(OAuthError::invalid_grant(
                "redirect_uri does not match the one of the authorization request.",
            ));
        }
        match (
            row.try_get::<Option<String>, _>("code_challenge")?,
            params.code_verifier.as_deref(),
        ) {
            (Some(challenge), Some(verifier)) if pkce_matches(verifier, &challenge) => {}
            (Some(_), Some(_)) => {
                return Err(OAuthError::invalid_grant("PKCE verification failed."))
            }
            // RFC 7636 §4.6: the code is bound to a verifier it was not redeemed with.
            (Some(_), None) => {
                return Err(OAuthError::invalid_grant(
                    "code_verifier is missing: the authorization request had a challenge.",
                ))
            }
            (None, Some(_)) => {
                return Err(OAuthError::invalid_grant(
                    "code_verifier sent, but the authorization request had no challenge.",
                ))
            }
            (None, None) if client.client_type == ClientType::Public => {
                return Err(OAuthError::invalid_grant("A public client must use PKCE."))
            }
            (None, None) => {}
        }
        let user = active_user(&row)?;
        let nonce: Option<String> = row.try_get("nonce")?;
        let minted = self
            .mint_user_tokens(
                MintRequest {
                    app: client,
                    grant: &grant,
                    user: &user,
                    scope: &grant.scope,
                    nonce: nonce.as_deref(),
                },
                now,
            )
            .await?;
        let mut tx = self.db.begin().await?;
        let claimed = sqlx::query("UPDATE authorization_codes SET redeemed_at = $1 WHERE code_hash = $2 AND redeemed_at IS NULL")
            .bind(now.0)
            .bind(&code_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed == 0 {
            // Another request redeemed it between our read and this write.
            revoke_grant(&mut tx, &grant.id, now).await?;
            tx.commit().await?;
            return Err(OAuthError::invalid_grant(
                "The authorization code has already been used.",
            ));
        }
        sqlx::query("UPDATE oauth_grants SET activated_at = $1 WHERE id = $2")
            .bind(now.0)
            .bind(&grant.id)
            .execute(&mut *tx)
            .await?;
        record_minted(&mut tx, &grant.id, &minted).await?;
        tx.commit().await?;
        Ok(minted.into())
    }

    /// A token for the client itself: no user, no refresh token, no database write.
    async fn client_credentials(
        &self,
        client: &Application,
        params: &TokenParams,
        now: Timestamp,
    ) -> Result<TokenResponse, OAuthError> {
        if client.client_type == ClientType::Public {
            return Err(OAuthError::unauthorized_client(
                "A public client cannot use client credentials.",
            ));
        }
        let requested = Scope::parse(params.scope.as_deref().unwrap_or(""))?;
        // No API resource is authorized for an application itself yet; user scopes never apply.
        let scope = requested.intersection(&Scope::default());
        let claims = AccessClaims {
            iss: self.issuer(),
            sub: client.client_id.clone(),
            aud: client.client_id.clone(),
            client_id: client.client_id.clone(),
            azp: client.client_id.clone(),
            scope: scope.to_string(),
            iat: now.0,
            nbf: now.0,
            exp: now.0 + client.access_token_lifetime,
            jti: uuid::Uuid::new_v4().to_string(),
            aut: AUT_APPLICATION.into(),
            org_id: client.org_id.as_str().to_owned(),
            org_name: client.org_name.clone(),
            user_org: None,
            act: None,
        };
        Ok(TokenResponse::bearer(
            self.sign_jwt(typ::ACCESS_TOKEN, &claims, now).await?,
            client.access_token_lifetime,
            scope.to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::pkce_matches;

    #[test]
    fn pkce_s256_matches_rfc7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
            challenge
        ));
        assert!(!pkce_matches("short", challenge));
    }
}
