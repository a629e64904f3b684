//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::jwt::{typ, Expiry};
use crate::oauth::authorize::redirect_with;
use crate::oauth::claims::IdClaims;
use crate::Engine;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct LogoutParams {
    pub id_token_hint: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub client_id: Option<String>,
}

/// A checked logout request.
#[derive(Clone, Debug)]
pub struct LogoutRequest {
    pub app: Option<Application>,
    /// Where to send the browser afterwards (with `state`), if the client asked and may.
    pub redirect: Option<String>,
    /// Ask the user first, unless the application skips logout consent.
    pub ask: bool,
}

impl Engine {
    /// Validates the hint (our signature and issuer; expiry is ignored as the spec allows) and the
    /// post-logout redirect URI, which must be registered for the hinted client. Errors are shown
    /// on a page, never redirected.
    pub async fn validate_logout(
        &self,
        p: &LogoutParams,
        now: Timestamp,
    ) -> Result<LogoutRequest, String> {
        let hinted_client = match p.id_token_hint.as_deref().filter(|h| !h.is_empty()) {
            Some(hint) => {
                let claims: IdClaims = self
                    .verify_jwt_at(hint, typ::ID_TOKEN, now, Expiry::Ignore)
                    .await
                    .map_err(|_| {
                        "The id_token_hint is not a valid ID token from this server.".to_owned()
                    })?;
                Some(claims.aud)
            }
            None => None,
        };
        let client_id = match (
            hinted_client,
            p.client_id.as_deref().filter(|c| !c.is_empty()),
        ) {
            (Some(h), Some(c)) if h != c => {
                return Err("client_id does not match the audience of id_token_hint.".into())
            }
            (Some(h), _) => Some(h),
            (None, c) => c.map(str::to_owned),
        };
        let app = match client_id {
            Some(id) => Some(
                self.application_by_client_id(&id)
                    .await
                    .map_err(|_| "The application is not registered here.".to_owned())?,
            ),
            None => None,
        };
        let redirect = match (p.post_logout_redirect_uri.as_deref().filter(|u| !u.is_empty()), &app) {
            (None, _) => None,
            (Some(_), None) => {
                return Err("post_logout_redirect_uri needs id_token_hint or client_id to identify the application.".into())
            }
            (Some(uri), Some(app)) if app.has_post_logout_redirect_uri(uri) => Some(match &p.state {
                Some(state) => redirect_with(uri, &[("state", state)]),
                None => uri.to_owned(),
            }),
            (Some(_), Some(_)) => {
                return Err("The post_logout_redirect_uri is not registered for this application.".into())
            }
        };
        let ask = !app.as_ref().is_some_and(|a| a.skip_logout_consent);
        Ok(LogoutRequest { app, redirect, ask })
    }
}
