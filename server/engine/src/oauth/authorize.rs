//! The authorization endpoint (RFC 6749 §4.1.1, OIDC Core §3.1.2): validating the request, then
//! deciding whether to sign in, ask for consent or issue a code.

use crate::applications::{Application, GrantType};
use crate::ceiling::impersonation::Refusal;
use crate::clock::Timestamp;
use crate::impersonation::records;
use crate::oauth::grants::{insert_grant, NewGrant};
use crate::oauth::reauth;
pub use crate::oauth::response::{redirect_with, redirect_with_fragment, ResponseKind};
use crate::oauth::scope::Scope;
use crate::oauth::OAuthError;
use crate::secrets::{digest, Secret};
use crate::sessions::Principal;
use crate::Engine;

use crate::oauth::authorize_request::Prompt;
pub use crate::oauth::authorize_request::{
    AuthorizationRequest, AuthorizeParams, AuthorizeRejection, AuthorizeStep, ConsentAnswer,
};
pub use crate::oauth::grants::CODE_LIFETIME_SECS;

/// RFC 7636 §4.2: the S256 challenge is base64url(SHA-256(verifier)), 43 characters.
fn valid_challenge(c: &str) -> bool {
    c.len() == 43
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Engine {
    /// Checks a request that came from a browser, in the order RFC 6749 §4.1.2.1 prescribes: client
    /// and redirect URI first (their failures are never redirected), then everything else
    /// (redirected to the client). The Console and My Account are refused: they sign in only through
    /// the server's own pages ([`Engine::sign_into_portal`]).
    pub async fn validate_authorization_request(
        &self,
        p: &AuthorizeParams,
    ) -> Result<AuthorizationRequest, AuthorizeRejection> {
        self.validate_request(p).await
    }

    async fn validate_request(
        &self,
        p: &AuthorizeParams,
    ) -> Result<AuthorizationRequest, AuthorizeRejection> {
        let client_id = p
            .client_id
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| {
                AuthorizeRejection::ErrorPage(
                    "The request does not name an application (client_id is missing).".into(),
                )
            })?;
        let app = match self.application_by_client_id(client_id).await {
            Ok(app) => app,
            Err(crate::Error::NotFound(_)) => {
                return Err(AuthorizeRejection::ErrorPage(
                    "The application is not registered here (unknown client_id).".into(),
                ))
            }
            Err(e) => {
                tracing::error!("authorize: {e}");
                return Err(AuthorizeRejection::ErrorPage(
                    "The server could not process the request. Try again later.".into(),
                ));
            }
        };
        if !app.enabled {
            return Err(AuthorizeRejection::ErrorPage(
                "This application is disabled.".into(),
            ));
        }
        if app.is_portal() {
            return Err(AuthorizeRejection::ErrorPage(
                "This application signs in only through its own pages.".into(),
            ));
        }
        let redirect_uri = p.redirect_uri.as_deref().ok_or_else(|| {
            AuthorizeRejection::ErrorPage("The request has no redirect_uri.".into())
        })?;
        if !app.has_redirect_uri(redirect_uri) {
            return Err(AuthorizeRejection::ErrorPage(
                "The redirect_uri is not registered for this application.".into(),
            ));
        }
        let mut req = AuthorizationRequest {
            redirect_uri: redirect_uri.to_owned(),
            scope: Scope::default(),
            state: p.state.clone(),
            kind: ResponseKind::Code,
            requested_subject: p.requested_subject.clone(),
            justification: crate::impersonation::Justification::new(
                p.impersonation_reason.as_deref(),
                p.impersonation_ticket.as_deref(),
            ),
            nonce: p.nonce.clone(),
            code_challenge: None,
            prompt: Prompt::default(),
            max_age: None,
            reauth_id: p.guise_reauth.clone(),
            app,
        };
        let issuer = self.issuer();
        let fail = |req: &AuthorizationRequest, e: OAuthError| {
            AuthorizeRejection::Redirect(req.error_redirect(&issuer, &e))
        };
        match p.response_type.as_deref() {
            None | Some("") => {
                return Err(fail(
                    &req,
                    OAuthError::invalid_request("response_type is missing."),
                ))
            }
            Some(raw) => match ResponseKind::parse(raw) {
                Some(kind) => req.kind = kind,
                None => {
                    return Err(fail(
                        &req,
                        OAuthError::unsupported_response_type(format!(
                            "response_type {raw} is not supported; use code (or subject_token to impersonate)."
                        )),
                    ))
                }
            },
        }
        let mode_allowed = match req.kind {
            ResponseKind::Code => "query",
            ResponseKind::SubjectToken { .. } => "fragment",
        };
        if let Some(mode) = p.response_mode.as_deref() {
            if mode != mode_allowed {
                return Err(fail(
                    &req,
                    OAuthError::invalid_request(format!(
                        "Only response_mode={mode_allowed} is supported for this response_type."
                    )),
                ));
            }
        }
        req.scope = Scope::parse(p.scope.as_deref().unwrap_or("")).map_err(|e| fail(&req, e))?;
        match req.kind {
            ResponseKind::Code => {
                if !req.app.allows(GrantType::AuthorizationCode) {
                    return Err(fail(
                        &req,
                        OAuthError::unauthorized_client(
                            "The application may not use the authorization code grant.",
                        ),
                    ));
                }
            }
            ResponseKind::SubjectToken { with_id_token } => {
                crate::oauth::subject_token::validate(&req, with_id_token)
                    .map_err(|e| fail(&req, e))?;
            }
        }
        match (
            p.code_challenge.as_deref(),
            p.code_challenge_method.as_deref(),
        ) {
            // A subject-token request needs PKCE only from a public client (its exchange has no
            // other proof that it is the client that asked).
            (None, None)
                if req.app.requires_pkce()
                    && (req.kind == ResponseKind::Code
                        || req.app.client_type == crate::applications::ClientType::Public) =>
            {
                return Err(fail(
                    &req,
                    OAuthError::invalid_request(
                        "PKCE is required: send code_challenge with code_challenge_method=S256.",
                    ),
                ))
            }
            (None, None) => {}
            (Some(c), Some("S256")) if valid_challenge(c) => {
                req.code_challenge = Some(c.to_owned())
            }
            (Some(_), Some("S256")) => {
                return Err(fail(
                    &req,
                    OAuthError::invalid_request("code_challenge is not a valid S256 challenge."),
                ))
            }
            (_, Some(m)) if m != "S256" => {
                return Err(fail(
                    &req,
                    OAuthError::invalid_request("Only code_challenge_method=S256 is supported."),
                ))
            }
            _ => {
                return Err(fail(
                    &req,
                    OAuthError::invalid_request(
                        "Send code_challenge together with code_challenge_method=S256.",
                    ),
                ))
            }
        }
        for value in p
            .prompt
            .as_deref()
            .unwrap_or("")
            .split(' ')
            .filter(|v| !v.is_empty())
        {
            match value {
                "none" => req.prompt.none = true,
                "login" => req.prompt.login = true,
                "consent" => req.prompt.consent = true,
                "select_account" => {}
                other => {
                    return Err(fail(
                        &req,
                        OAuthError::invalid_request(format!("Unknown prompt value {other}.")),
                    ))
                }
            }
        }
        if req.prompt.none && (req.prompt.login || req.prompt.consent) {
            return Err(fail(
                &req,
                OAuthError::invalid_request("prompt=none cannot be combined with other values."),
            ));
        }
        if let Some(raw) = p.max_age.as_deref() {
            match raw.parse::<i64>() {
                Ok(v) if v >= 0 => req.max_age = Some(v),
                _ => {
                    return Err(fail(
                        &req,
                        OAuthError::invalid_request("max_age must be a number of seconds."),
                    ))
                }
            }
        }
        Ok(req)
    }

    /// Decides the next step for a valid request and the browser's SSO session (if any).
    #[tracing::instrument(name = "authorize", skip_all, fields(client_id = %req.app.client_id))]
    pub async fn authorize(
        &self,
        req: &AuthorizationRequest,
        session: Option<&Principal>,
        answer: ConsentAnswer,
        now: Timestamp,
    ) -> Result<AuthorizeStep, OAuthError> {
        let issuer = self.issuer();
        let error = |e: OAuthError| Ok(AuthorizeStep::Redirect(req.error_redirect(&issuer, &e)));
        // A demand for a fresh sign-in this request made earlier, found server-side by its id.
        let demand = reauth::pending(&self.db, req.reauth_id.as_deref(), &req.app, now).await?;
        // Only a browser's sign-in session signs in here; a bearer token's principal is none.
        let Some((principal, session_hash)) =
            session.and_then(|p| p.session_hash().map(|hash| (p, hash)))
        else {
            if req.prompt.none {
                return error(OAuthError::login_required("The user is not signed in."));
            }
            return self.sign_in_step(req, demand, now).await;
        };
        let fresh_enough = match (&demand, req.max_age) {
            (Some(demand), _) => demand.satisfied_by(session_hash, principal.auth_time),
            (None, Some(max_age)) => now.0 - principal.auth_time.0 <= max_age,
            (None, None) => !req.prompt.login,
        };
        if !fresh_enough {
            if req.prompt.none {
                return error(OAuthError::login_required("The user must sign in again."));
            }
            return self.sign_in_step(req, demand, now).await;
        }
        if answer == ConsentAnswer::Deny {
            return error(OAuthError::access_denied("The user denied the request."));
        }
        if let ResponseKind::SubjectToken { .. } = req.kind {
            return self
                .issue_subject_token(req, principal, demand.as_ref(), now)
                .await;
        }
        let scope = match self
            .decide_entry(principal, &req.app, &req.scope, now)
            .await?
        {
            Entry::Allowed(scope) => scope,
            Entry::NotShared => return error(OAuthError::access_denied(NOT_SHARED)),
            Entry::Refused(refusal) => return Ok(AuthorizeStep::Refused(refusal.message())),
        };
        if !req.app.skip_login_consent {
            let consented = self.consented_scopes(principal, &req.app).await?;
            let needs = req.prompt.consent || !scope.is_subset(&consented);
            if principal.actor().is_some() && (needs || answer == ConsentAnswer::Allow) {
                // Consent is the user's to give; an impersonator never gives it for them.
                return Ok(AuthorizeStep::Refused(Refusal::ConsentOnBehalf.message()));
            }
            match answer {
                ConsentAnswer::Allow => {
                    self.record_consent(principal, &req.app, &scope, now)
                        .await?
                }
                _ if needs && req.prompt.none => {
                    return error(OAuthError::consent_required(
                        "The user has not approved this application.",
                    ))
                }
                _ if needs => {
                    return Ok(AuthorizeStep::Consent {
                        app_name: req.app.name.clone(),
                        scopes: scope.iter().map(str::to_owned).collect(),
                    })
                }
                _ => {}
            }
        }
        let code = Secret::generate();
        let mut tx = self.db.begin().await?;
        let grant = NewGrant::of_session(&req.app, principal, session_hash, &scope, false);
        let grant_id = insert_grant(&mut tx, grant, now).await?;
        sqlx::query(
            "INSERT INTO authorization_codes (code_hash, grant_id, redirect_uri, code_challenge, nonce, expires_at, redeemed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        )
        .bind(digest(code.expose()))
        .bind(&grant_id)
        .bind(&req.redirect_uri)
        .bind(req.code_challenge.as_deref())
        .bind(req.nonce.as_deref())
        .bind(now.0 + CODE_LIFETIME_SECS)
        .execute(&mut *tx)
        .await?;
        if let Some(demand) = &demand {
            reauth::fulfil(&mut tx, demand).await?;
        }
        if let Some(impersonating) = principal.impersonating() {
            records::record_entry(&mut tx, &impersonating.id, &req.app, now).await?;
        }
        tx.commit().await?;
        let mut params = vec![("code", code.expose())];
        if let Some(s) = &req.state {
            params.push(("state", s));
        }
        params.push(("iss", &issuer));
        Ok(AuthorizeStep::Redirect(redirect_with(
            &req.redirect_uri,
            &params,
        )))
    }

    /// Sends the browser to sign in. A request that needs a fresh sign-in (`prompt=login`,
    /// `max_age`) keeps its demand, or records one now; the id comes back in the return URL, so
    /// the sign-in that follows satisfies it and the browser does not loop.
    async fn sign_in_step(
        &self,
        req: &AuthorizationRequest,
        demand: Option<reauth::Demand>,
        now: Timestamp,
    ) -> Result<AuthorizeStep, OAuthError> {
        let demand = match demand {
            // A demand that another session answered is spent for this browser: the sign-in that
            // follows needs one it can answer.
            Some(d) if d.answered_by.is_none() => Some(d),
            _ if req.prompt.login || req.max_age.is_some() => {
                Some(reauth::demand(&self.db, &req.app, now).await?)
            }
            _ => None,
        };
        Ok(AuthorizeStep::SignIn {
            reauth: demand.map(|d| d.id),
        })
    }
}

/// Why an application that does not serve the user's organization is not entered.
pub(crate) const NOT_SHARED: &str = "This application is not shared with your organization.";

/// What the decisions of an entry into an application by a browser session came to.
pub(crate) enum Entry {
    /// Entered, with the scope the user's roles grant of what was asked.
    Allowed(Scope),
    /// The application does not serve the user's organization.
    NotShared,
    /// An impersonation may not enter it.
    Refused(Refusal),
}

impl Engine {
    /// The decisions every entry by a browser session makes, through the authorization endpoint
    /// or a portal's own sign-in: the application serves the user's organization, an
    /// impersonation may enter it, and the scope the user's roles grant of `asked`.
    pub(crate) async fn decide_entry(
        &self,
        principal: &Principal,
        app: &Application,
        asked: &Scope,
        now: Timestamp,
    ) -> Result<Entry, OAuthError> {
        if !self.serves(app, &principal.org_id).await? {
            return Ok(Entry::NotShared);
        }
        if let Some(refusal) = self.impersonated_entry_refusal(principal, app, now).await? {
            return Ok(Entry::Refused(refusal));
        }
        let scope = self
            .decide_user_scope(app, &principal.user_id, &principal.org_id, asked)
            .await?;
        Ok(Entry::Allowed(scope))
    }
}
