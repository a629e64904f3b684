//! Who is acting, and on whose behalf. Only the engine makes a [`Principal`]: from a live session
//! ([`crate::Engine::authenticate`], [`crate::Engine::sign_in`]) or from a live bearer token
//! ([`crate::Engine::principal_from_bearer`], in `oauth::caller`). Code outside the engine can read one, never build
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
