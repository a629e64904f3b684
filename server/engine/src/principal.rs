//! Who is acting, and on whose behalf. Only the engine makes a [`Principal`]: from a live session
//! ([`crate::Engine::authenticate`], [`crate::Engine::sign_in`]) or from a live bearer token
//! ([`crate::Engine::principal_from_bearer`], in `oauth::caller`). Code outside the engine can read one, never build
//! one, so no caller can name a user it did not authenticate, nor drop who really acts.

use crate::clock::Timestamp;
use crate::factors::method::SignInMethod;
use crate::ids::{OrgId, UserId};
use std::sync::{Arc, Mutex};

/// Who is acting, and how they were established. Every engine call that acts for a person takes
/// one.
#[derive(Clone, Debug)]
pub struct Principal {
    pub(crate) user_id: UserId,
    pub(crate) org_id: OrgId,
    pub(crate) username: String,
    pub(crate) auth_time: Timestamp,
    /// Who really acts when `user_id` is being impersonated (a session's impersonator, a token's
    /// `act.sub`); `None` when the user acts as themself.
    pub(crate) actor: Option<UserId>,
    pub(crate) origin: Origin,
    /// The HTTP request this principal acts in, when the caller said so ([`Principal::in_request`]):
    /// the audit events it causes carry the request's correlation id.
    pub(crate) request: Option<Arc<RequestContext>>,
}

/// The same person acting the same way, whichever request they act in.
impl PartialEq for Principal {
    fn eq(&self, other: &Self) -> bool {
        self.user_id == other.user_id
            && self.org_id == other.org_id
            && self.username == other.username
            && self.auth_time == other.auth_time
            && self.actor == other.actor
            && self.origin == other.origin
    }
}

impl Eq for Principal {}

/// How a principal was established: a browser's sign-in session, or a bearer access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A browser's SSO session, named by the SHA-256 of its token (never the token itself), in an
    /// impersonation when it is one.
    Session {
        hash: String,
        impersonating: Option<Impersonating>,
        method: SignInMethod,
    },
    /// A bearer access token: its client, scope and the impersonation its grant was made in.
    Bearer(TokenFacts),
}

/// The parts of a bearer access token the audit trail records (`clientId`, `scope`) and the
/// impersonation its grant was made in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenFacts {
    pub(crate) client_id: String,
    pub(crate) scope: String,
    pub(crate) impersonation_id: Option<String>,
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
        method: SignInMethod,
    ) -> Self {
        Self {
            user_id,
            org_id,
            username,
            auth_time,
            actor: None,
            origin: Origin::Session {
                hash: session_hash,
                impersonating: None,
                method,
            },
            request: None,
        }
    }

    /// The principal of a browser session that impersonates `subject` (made with the session's
    /// hash): the subject, with the session's own user as the real actor.
    pub(crate) fn of_impersonation(
        subject: Principal,
        impersonator: UserId,
        impersonating: Impersonating,
    ) -> Self {
        let origin = match subject.origin {
            Origin::Session { hash, method, .. } => Origin::Session {
                hash,
                impersonating: Some(impersonating),
                method,
            },
            bearer @ Origin::Bearer(_) => bearer,
        };
        Self {
            actor: Some(impersonator),
            origin,
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
            auth_time,
            actor,
            origin: Origin::Bearer(token),
            request: None,
        }
    }

    /// This principal, acting in `request` (the server establishes callers per HTTP request).
    pub fn in_request(self, request: Option<Arc<RequestContext>>) -> Self {
        Self { request, ..self }
    }

    /// The HTTP request this principal acts in, if known.
    pub(crate) fn request(&self) -> Option<&RequestContext> {
        self.request.as_deref()
    }

    /// The user the action is for (the subject).
    pub fn user_id(&self) -> &UserId {
        &self.user_id
    }

    /// The organization the user is resident in.
    pub fn org_id(&self) -> &OrgId {
        &self.org_id
    }

    /// Whether the principal counts at a request addressed to an organization by its path
    /// (`/o/{org-id}/…`, `/t/{handle}/…`): only a principal of that organization does there.
    /// Without such a path (`None`), everyone counts.
    pub fn counts_at(&self, path_org: Option<&OrgId>) -> bool {
        path_org.is_none_or(|org| org == &self.org_id)
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    /// The SHA-256 of the browser session's token; `None` for a bearer token's principal.
    pub fn session_hash(&self) -> Option<&str> {
        match &self.origin {
            Origin::Session { hash, .. } => Some(hash),
            Origin::Bearer(_) => None,
        }
    }

    /// How the browser session's user proved who they are (an impersonation's: how the
    /// impersonator did); `None` for a bearer token's principal.
    pub fn sign_in_method(&self) -> Option<SignInMethod> {
        match &self.origin {
            Origin::Session { method, .. } => Some(*method),
            Origin::Bearer(_) => None,
        }
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
        match &self.origin {
            Origin::Session { impersonating, .. } => impersonating.as_ref(),
            Origin::Bearer(_) => None,
        }
    }

    /// The impersonation this principal acts in: a browser session's, or the one a bearer
    /// token's grant was made in.
    pub fn impersonation_id(&self) -> Option<&str> {
        match &self.origin {
            Origin::Session { impersonating, .. } => impersonating.as_ref().map(|i| i.id.as_str()),
            Origin::Bearer(token) => token.impersonation_id.as_deref(),
        }
    }

    /// The bearer token's facts, when a token (not a browser session) established this principal.
    pub(crate) fn token(&self) -> Option<&TokenFacts> {
        match &self.origin {
            Origin::Bearer(token) => Some(token),
            Origin::Session { .. } => None,
        }
    }

    /// The user whose privileges bound what this principal may do to others: the real actor
    /// when there is one, else the subject.
    pub fn acting_user(&self) -> &UserId {
        self.actor.as_ref().unwrap_or(&self.user_id)
    }
}

/// One HTTP request, as the audit trail sees it.
#[derive(Debug)]
pub struct RequestContext {
    /// Made by the server, one per request: what tells requests apart in the trail.
    pub(crate) correlation_id: String,
    /// The caller's `X-Correlation-ID`, recorded beside the server's id so the caller can find
    /// its requests; never used to tell requests apart (a caller could then hide one behind
    /// another).
    pub(crate) caller_correlation_id: Option<String>,
    pub(crate) method: String,
    pub(crate) path: String,
    /// The impersonated token's principal, once one authorized the request.
    pub(crate) impersonated: Mutex<Option<Principal>>,
}

impl RequestContext {
    /// A new request with a new correlation id; `caller_correlation_id` is the caller's own (a
    /// validated `X-Correlation-ID`), kept beside it.
    pub fn new(caller_correlation_id: Option<String>, method: &str, path: &str) -> Arc<Self> {
        Arc::new(Self {
            correlation_id: uuid::Uuid::new_v4().to_string(),
            caller_correlation_id,
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            impersonated: Mutex::new(None),
        })
    }

    pub fn correlation_id(&self) -> &str {
        &self.correlation_id
    }

    /// Only requests that may change something are audited: GET (and HEAD, OPTIONS) never are.
    pub(crate) fn changes_state(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }
}

/// The correlation ids an event of `request` carries: the request's own (a fresh one for work
/// outside any request: a background task, a command) and the caller's, when it sent one.
pub(crate) fn ids_of(request: Option<&RequestContext>) -> (String, Option<String>) {
    match request {
        Some(r) => (r.correlation_id.clone(), r.caller_correlation_id.clone()),
        None => (uuid::Uuid::new_v4().to_string(), None),
    }
}
