//! The caller a bearer token stands for. Only a token [`Engine::authenticate_bearer`] verified
//! becomes a [`Principal`], with the token's `act` as the real actor; a token presented to reach
//! one of our resources is noted for the request's audit as soon as it is authenticated.

use crate::audit::request::note_principal;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{OrgId, UserId};
use crate::oauth::bearer::BearerAccess;
use crate::oauth::OAuthError;
use crate::principal::{Principal, RequestContext, TokenFacts};
use crate::Engine;
use std::sync::Arc;

impl Engine {
    /// The principal of a live bearer access token issued for a user: that user, in the
    /// token's organization, with the token's `act.sub` as the real actor (an impersonation
    /// token acts for its subject, and every check and audit event must still see who acts).
    /// A client's own token (no user) is `Forbidden`; a malformed organization or actor is
    /// `Unauthenticated` (we never sign such a token, so it is not ours to trust).
    pub fn principal_from_bearer(&self, access: &BearerAccess) -> Result<Principal> {
        let user = access
            .user
            .as_ref()
            .ok_or(Error::Forbidden("a user's token"))?;
        let org = OrgId::parse(&access.claims.org_id).ok_or(Error::Unauthenticated)?;
        let actor = match &access.claims.act {
            None => None,
            Some(act) => Some(UserId::parse(&act.sub).ok_or(Error::Unauthenticated)?),
        };
        let principal = Principal::of_token(
            user.id.clone(),
            org,
            user.username.clone(),
            Timestamp(access.claims.iat),
            actor,
            TokenFacts {
                client_id: access.claims.client_id.clone(),
                scope: access.claims.scope.clone(),
                impersonation_id: access.impersonation_id.clone(),
            },
        )
        .in_request(access.request.clone());
        // The token now authorizes this request: when it is an impersonated one and the request
        // changes something, the request is audited (see `audit::request`).
        note_principal(&principal);
        Ok(principal)
    }

    /// A bearer token presented in `request` to reach one of our resources (SCIM, userinfo, the
    /// settings API): authenticated, tied to that request, and when it acts for an impersonated
    /// user, noted at once, so that the request leaves its audit event whatever becomes of it
    /// (refused, invalid, failed).
    pub async fn authenticate_caller(
        &self,
        token: &str,
        request: Option<Arc<RequestContext>>,
        now: Timestamp,
    ) -> Result<BearerAccess, OAuthError> {
        let mut access = self.authenticate_bearer(token, now).await?;
        access.request = request;
        if access.user.is_some() && access.claims.act.is_some() {
            // Making the principal notes it; a token whose principal cannot be made is refused
            // by whatever asks for it next.
            if let Err(e) = self.principal_from_bearer(&access) {
                tracing::debug!("impersonated token without a principal: {e}");
            }
        }
        Ok(access)
    }

    /// [`Engine::authenticate_caller`] for the resources that answer in their own terms (SCIM,
    /// the settings API): a token we refuse is `Unauthenticated`; a database failure is
    /// `Unavailable`, never "your token is invalid".
    pub async fn bearer_caller(
        &self,
        token: &str,
        request: Option<Arc<RequestContext>>,
        now: Timestamp,
    ) -> Result<BearerAccess> {
        self.authenticate_caller(token, request, now)
            .await
            .map_err(|e| match e.code {
                code if code.is_ours() => Error::Unavailable(e.description),
                _ => Error::Unauthenticated,
            })
    }
}
