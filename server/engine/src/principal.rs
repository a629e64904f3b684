//! Who is acting, and on whose behalf. Only the engine makes a [`Principal`]: from a live session
//! ([`crate::Engine::authenticate`], [`crate::Engine::sign_in`]) or from a live bearer token
//! ([`crate::Engine::principal_from_bearer`]). Code outside the engine can read one, never build
//! one, so no caller can name a user it did not authenticate, nor drop who really acts.

use crate::clock::Timestamp;
use crate::ids::{OrgId, UserId};

/// Who is acting, in which session. Every engine call that acts for a person takes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub(crate) user_id: UserId,
    pub(crate) org_id: OrgId,
    pub(crate) username: String,
    /// SHA-256 of the session token: names the session without revealing it. Empty for a
    /// principal established by a bearer token (no browser session).
    pub(crate) session_hash: String,
    pub(crate) auth_time: Timestamp,
    /// Who really acts when `user_id` is being impersonated (a token's `act.sub`); `None` when
    /// the user acts as themself.
    pub(crate) actor: Option<UserId>,
    /// The impersonation a browser session is in, when it is one (a bearer token's principal
    /// names only its `actor`).
    pub(crate) impersonation: Option<Impersonating>,
    /// What a bearer token says about the request it authorizes; `None` for a browser session.
    pub(crate) token: Option<TokenFacts>,
}

/// The parts of a bearer access token the audit trail records (`clientId`, `scope`) and the
/// impersonation its grant was made in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TokenFacts {
    pub client_id: String,
    pub scope: String,
    pub impersonation_id: Option<String>,
}

/// The live impersonation an SSO session is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impersonating {
    pub(crate) id: String,
    pub(crate) started_at: Timestamp,
    pub(crate) expires_at: Timestamp,
}

impl Impersonating {
    /// When the impersonation started.
    pub fn started_at(&self) -> Timestamp {
        self.started_at
    }

    /// The hard limit: the impersonation ends then, whatever happens.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }
}

impl Principal {
    /// The principal of a browser session: the user acts as themself.
    pub(crate) fn of_session(
        user_id: UserId,
        org_id: OrgId,
        username: String,
        session_hash: String,
        auth_time: Timestamp,
    ) -> Self {
        Self {
            user_id,
            org_id,
            username,
            session_hash,
            auth_time,
            actor: None,
            impersonation: None,
            token: None,
        }
    }

    /// The principal of a browser session that impersonates `subject`: the subject, with the
    /// session's own user as the real actor.
    pub(crate) fn of_impersonation(
        subject: Principal,
        impersonator: UserId,
        impersonating: Impersonating,
    ) -> Self {
        Self {
            actor: Some(impersonator),
            impersonation: Some(impersonating),
            ..subject
        }
    }

    /// The principal of a bearer token; `actor` is the token's `act.sub`, already parsed.
    pub(crate) fn of_token(
        user_id: UserId,
        org_id: OrgId,
        username: String,
        auth_time: Timestamp,
        actor: Option<UserId>,
        token: TokenFacts,
    ) -> Self {
        Self {
            user_id,
            org_id,
            username,
            session_hash: String::new(),
            auth_time,
            actor,
            impersonation: None,
            token: Some(token),
        }
    }

    /// The user the action is for (the subject).
    pub fn user_id(&self) -> &UserId {
        &self.user_id
    }

    /// The organization the user is resident in.
    pub fn org_id(&self) -> &OrgId {
        &self.org_id
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    /// The SHA-256 of the session token (empty for a bearer token's principal).
    pub fn session_hash(&self) -> &str {
        &self.session_hash
    }

    /// When the user last proved who they are.
    pub fn auth_time(&self) -> Timestamp {
        self.auth_time
    }

    /// Who really acts, when someone acts on the user's behalf (impersonation).
    pub fn actor(&self) -> Option<&UserId> {
        self.actor.as_ref()
    }

    /// The impersonation this browser session is in, if it is one.
    pub fn impersonating(&self) -> Option<&Impersonating> {
        self.impersonation.as_ref()
    }

    /// The impersonation this principal acts in: a browser session's, or the one a bearer
    /// token's grant was made in.
    pub fn impersonation_id(&self) -> Option<&str> {
        match (&self.impersonation, &self.token) {
            (Some(live), _) => Some(live.id.as_str()),
            (None, Some(token)) => token.impersonation_id.as_deref(),
            (None, None) => None,
        }
    }

    /// The bearer token's facts, when a token (not a browser session) established this principal.
    pub(crate) fn token(&self) -> Option<&TokenFacts> {
        self.token.as_ref()
    }

    /// The user whose privileges bound what this principal may do to others: the real actor
    /// when there is one, else the subject.
    pub fn acting_user(&self) -> &UserId {
        self.actor.as_ref().unwrap_or(&self.user_id)
    }
}

impl crate::Engine {
    /// The principal of a live bearer access token issued for a user: that user, in the
    /// token's organization, with the token's `act.sub` as the real actor (an impersonation
    /// token acts for its subject, and every check and audit event must still see who acts).
    /// A client's own token (no user) is `Forbidden`; a malformed organization or actor is
    /// `Unauthenticated` (we never sign such a token, so it is not ours to trust).
    pub fn principal_from_bearer(
        &self,
        access: &crate::oauth::bearer::BearerAccess,
    ) -> crate::Result<Principal> {
        use crate::Error;
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
        );
        // The token now authorizes this request: when it is an impersonated one and the request
        // changes something, the request is audited (see `audit::request`).
        crate::audit::request::note_principal(&principal);
        Ok(principal)
    }

    /// A bearer token presented to reach one of our resources (SCIM, userinfo, the settings API):
    /// authenticated, and when it acts for an impersonated user, noted at once, so that the request
    /// leaves its audit event whatever becomes of it (refused, invalid, failed).
    pub async fn authenticate_caller(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<crate::oauth::bearer::BearerAccess, crate::oauth::OAuthError> {
        let access = self.authenticate_bearer(token, now).await?;
        if access.user.is_some() && access.claims.act.is_some() {
            // Making the principal notes it; a token whose principal cannot be made is refused
            // by whatever asks for it next.
            if let Err(e) = self.principal_from_bearer(&access) {
                tracing::debug!("impersonated token without a principal: {e}");
            }
        }
        Ok(access)
    }
}
