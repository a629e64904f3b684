//! The Console and My Account are clients of our own provider. Their tokens stay on the server:
//! the grant their sign-in produced, bound to the browser's SSO session, is what their server
//! functions act with.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::oauth::scope::Scope;
use crate::sessions::Principal;
use crate::Engine;

impl Engine {
    /// The scopes the SSO session's latest sign-in to the portal `kind` (`CONSOLE_APP` or
    /// `MY_ACCOUNT_APP`) produced; `Unauthenticated` when the browser has not signed into it in this
    /// session (or that sign-in was revoked). One query: it runs on every portal request.
    pub async fn portal_scope(&self, principal: &Principal, kind: &str) -> Result<Scope> {
        let scope: String = sqlx::query_scalar(
            "SELECT g.scope FROM oauth_grants g JOIN applications a ON a.id = g.app_id \
             WHERE g.session_hash = $1 AND a.system_kind = $2 AND g.user_id = $3 \
             AND g.activated_at IS NOT NULL AND g.revoked_at IS NULL ORDER BY g.activated_at DESC LIMIT 1",
        )
        .bind(&principal.session_hash)
        .bind(kind)
        .bind(principal.user_id.as_str())
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Error::Unauthenticated)?;
        Ok(Scope::from_stored(&scope))
    }
}

/// What each portal asks for when it signs a user in.
fn portal_request_scope(kind: &str) -> String {
    let mut scopes: Vec<&str> = vec!["openid", "profile", "email", "internal_login"];
    if kind == crate::permissions::CONSOLE_APP {
        scopes.extend_from_slice(crate::permissions::scopes::CONSOLE_ADMINISTRATOR);
    }
    scopes.join(" ")
}

impl Engine {
    /// Signs the SSO session into a portal (`CONSOLE_APP` or `MY_ACCOUNT_APP`) in process: the same
    /// authorization request, decision, code and PKCE-checked redemption as a browser redirect
    /// through `/oauth2/authorize`, without the round trips. Returns the scope granted.
    pub async fn sign_into_portal(
        &self,
        principal: &Principal,
        kind: &str,
        now: Timestamp,
    ) -> Result<Scope> {
        use crate::oauth::authorize::{AuthorizeParams, AuthorizeStep, ConsentAnswer};
        use crate::oauth::token::TokenParams;

        let app = self.system_application(kind).await?;
        if !app.enabled {
            return Err(Error::Refused(
                "My Account is disabled by your organization's administrators.",
            ));
        }
        let redirect_uri = app
            .redirect_uris
            .last()
            .cloned()
            .ok_or_else(|| Error::Internal("portal without redirect URI".into()))?;
        let verifier = crate::secrets::Secret::generate();
        let challenge = crate::oauth::token::s256(verifier.expose());
        let params = AuthorizeParams {
            response_type: Some("code".into()),
            client_id: Some(app.client_id.clone()),
            redirect_uri: Some(redirect_uri.clone()),
            scope: Some(portal_request_scope(kind)),
            code_challenge: Some(challenge),
            code_challenge_method: Some("S256".into()),
            ..AuthorizeParams::default()
        };
        let refused = |what: &str| Error::Internal(format!("portal sign-in: {what}"));
        let req = self
            .validate_portal_request(&params)
            .await
            .map_err(|e| refused(&format!("{e:?}")))?;
        let location = match self
            .authorize(&req, Some(principal), ConsentAnswer::NotAsked, now)
            .await
        {
            Ok(AuthorizeStep::Redirect(location)) => location,
            Ok(AuthorizeStep::Refused(why)) => return Err(Error::Refused(why)),
            Ok(other) => return Err(refused(&format!("{other:?}"))),
            Err(e) => return Err(refused(&e.to_string())),
        };
        let code = url::Url::parse(&location)
            .ok()
            .and_then(|u| {
                u.query_pairs()
                    .find(|(k, _)| k == "code")
                    .map(|(_, v)| v.into_owned())
            })
            .ok_or_else(|| refused("no code in the response"))?;
        let token = TokenParams {
            grant_type: Some("authorization_code".into()),
            code: Some(code),
            redirect_uri: Some(redirect_uri),
            code_verifier: Some(verifier.expose().to_owned()),
            ..TokenParams::default()
        };
        // Redeemed here, never at the token endpoint, which refuses the portals.
        let response = self
            .redeem_code(&app, &token, now)
            .await
            .map_err(|e| refused(&e.to_string()))?;
        Ok(Scope::from_stored(&response.scope))
    }
}
