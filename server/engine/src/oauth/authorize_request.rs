//! An authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2) as the engine knows it once
//! validated, and the steps its answer can take: what the authorization endpoint and the subject
//! token response type share.

use crate::applications::Application;
use crate::oauth::response::{redirect_with, redirect_with_fragment, ResponseKind};
use crate::oauth::scope::Scope;
use crate::oauth::OAuthError;
use serde::{Deserialize, Serialize};

/// The request parameters, as sent (query string or form). Unknown parameters are ignored
/// (RFC 6749 §3.1); a repeated one is refused by the caller's parser.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    pub response_mode: Option<String>,
    /// Ours, added when we send the browser to sign in for `prompt=login` or `max_age`: names the
    /// re-authentication demand kept server-side (see `reauth.rs`). Forging it can only force
    /// another sign-in.
    pub guise_reauth: Option<String>,
    /// With `response_type=subject_token`: the id of the user to impersonate.
    pub requested_subject: Option<String>,
    /// With `response_type=subject_token`: why the impersonator impersonates, and the ticket id of
    /// the request, as the organization's policy asks (Guise's own parameters).
    pub impersonation_reason: Option<String>,
    pub impersonation_ticket: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Prompt {
    pub(crate) none: bool,
    pub(crate) login: bool,
    pub(crate) consent: bool,
}

/// A request whose client and redirect URI are known good, so errors can go back to the client.
#[derive(Clone, Debug)]
pub struct AuthorizationRequest {
    pub app: Application,
    pub redirect_uri: String,
    pub scope: Scope,
    pub state: Option<String>,
    pub kind: ResponseKind,
    pub(crate) requested_subject: Option<String>,
    pub(crate) justification: crate::impersonation::Justification,
    pub(crate) nonce: Option<String>,
    pub(crate) code_challenge: Option<String>,
    pub(crate) prompt: Prompt,
    pub(crate) max_age: Option<i64>,
    /// The `guise_reauth` id as received; it means something only once looked up.
    pub(crate) reauth_id: Option<String>,
}

/// Why the endpoint cannot continue.
#[derive(Debug)]
pub enum AuthorizeRejection {
    /// The client or redirect URI cannot be trusted: show an error page, never redirect.
    ErrorPage(String),
    /// Send the error to the client's redirect URI.
    Redirect(String),
}

/// What the browser does next.
#[derive(Debug)]
pub enum AuthorizeStep {
    /// Sign in, then come back; `reauth` goes into the return URL as `guise_reauth`.
    SignIn { reauth: Option<String> },
    /// Ask the user to approve these scopes.
    Consent {
        app_name: String,
        scopes: Vec<String>,
    },
    /// Go back to the client (with a code, or an error).
    Redirect(String),
    /// Refused with an error page, never a redirect: signing in would act for the user in a way
    /// nobody allowed (an impersonator where they may not impersonate, or consenting for the user).
    Refused(&'static str),
}

/// The user's answer on the consent page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentAnswer {
    NotAsked,
    Allow,
    Deny,
}

impl AuthorizationRequest {
    /// The client's redirect URI with an error, `state` and `iss` (RFC 9207).
    pub fn error_redirect(&self, issuer: &str, e: &OAuthError) -> String {
        let mut params = vec![
            ("error", e.code.as_str()),
            ("error_description", e.description.as_str()),
        ];
        if let Some(s) = &self.state {
            params.push(("state", s));
        }
        params.push(("iss", issuer));
        if self.kind.in_fragment() {
            redirect_with_fragment(&self.redirect_uri, &params)
        } else {
            redirect_with(&self.redirect_uri, &params)
        }
    }
}
