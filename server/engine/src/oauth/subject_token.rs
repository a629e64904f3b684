//! Subject tokens: the authorization endpoint's answer to `response_type=subject_token` (or
//! `id_token subject_token`). The signed-in impersonator asks to act as `requested_subject`; the
//! token names that user (`sub`) and the impersonator (`may_act.sub`), and the client exchanges it,
//! with the impersonator's ID token as the actor token, for an impersonated access token
//! ([`crate::oauth::token_exchange`]).

use crate::applications::GrantType;
use crate::ceiling::impersonation::Refusal;
use crate::clock::Timestamp;
use crate::ids::UserId;
use crate::impersonation::justification::{described, Asked};
use crate::impersonation::step_up::{ensure_may_start, Proof, Start};
use crate::jwt::typ;
use crate::oauth::authorize_request::{AuthorizationRequest, AuthorizeStep};
use crate::oauth::claims::{Actor, IdClaims};
use crate::oauth::mint::{profile_claims, session_id};
use crate::oauth::reauth::{self, Demand};
use crate::oauth::response::redirect_with_fragment;
use crate::oauth::OAuthError;
use crate::principal::Principal;
use crate::users;
use crate::Engine;
use aws_lc_rs::digest as sha;
use serde::{Deserialize, Serialize};

/// The scope an impersonation request must carry.
pub const IMPERSONATION_SCOPE: &str = crate::permissions::scopes::USER_IMPERSONATE;
/// Its counterpart in an organization below the root.
pub const ORG_IMPERSONATION_SCOPE: &str = crate::permissions::scopes::ORG_USER_IMPERSONATE;

/// The claims of a subject token (wire contract: header `typ: "jwt"`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SubjectClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub client_id: String,
    pub azp: String,
    pub scope: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
    pub may_act: Actor,
}

/// The checks of a subject-token request that need no session, in the order of the wire contract.
pub(crate) fn validate(req: &AuthorizationRequest, with_id_token: bool) -> Result<(), OAuthError> {
    if req
        .requested_subject
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        return Err(OAuthError::invalid_request(
            "response_type is subject_token. but requested_subject parameter not found.",
        ));
    }
    if !req.app.allows(GrantType::TokenExchange) || !req.app.subject_token_enabled {
        return Err(OAuthError::unauthorized_client(
            "The application may not request subject tokens: allow the token exchange grant and enable subject tokens for it.",
        ));
    }
    // Which of the two the impersonator's organization needs is decided with the impersonation.
    if !req.scope.contains(IMPERSONATION_SCOPE) && !req.scope.contains(ORG_IMPERSONATION_SCOPE) {
        return Err(OAuthError::invalid_scope(format!(
            "A subject token request must ask for the {IMPERSONATION_SCOPE} scope (in an organization, {ORG_IMPERSONATION_SCOPE})."
        )));
    }
    if with_id_token && req.nonce.as_deref().is_none_or(str::is_empty) {
        return Err(OAuthError::invalid_request(
            "nonce is required when an id_token is requested.",
        ));
    }
    Ok(())
}

/// `session_state` (OpenID Connect Session Management §4.2): ties the response to this browser's
/// session without revealing it.
fn session_state(client_id: &str, redirect_uri: &str, sid: &str) -> String {
    let origin = url::Url::parse(redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let salt = uuid::Uuid::new_v4().simple().to_string();
    let digest = sha::digest(
        &sha::SHA256,
        format!("{client_id} {origin} {sid} {salt}").as_bytes(),
    );
    format!("{}.{salt}", hex::encode(digest.as_ref()))
}

impl Engine {
    /// Issues the subject token (and the impersonator's ID token when asked) for a signed-in
    /// session, after the impersonation decision; refusals go back to the client.
    pub(crate) async fn issue_subject_token(
        &self,
        req: &AuthorizationRequest,
        principal: &Principal,
        demand: Option<&Demand>,
        now: Timestamp,
    ) -> Result<AuthorizeStep, OAuthError> {
        let issuer = self.issuer();
        let refuse = |e: OAuthError| Ok(AuthorizeStep::Redirect(req.error_redirect(&issuer, &e)));
        // The session that becomes the impersonation session (the authorization endpoint calls
        // this for a browser session only).
        let Some(session_hash) = principal.session_hash() else {
            return refuse(OAuthError::login_required("The user is not signed in."));
        };
        // The impersonator is the session's own user, even in a session already impersonating.
        let impersonator = principal.acting_user();
        let org = principal.org_id();
        let Some(subject) = req.requested_subject.as_deref().and_then(UserId::parse) else {
            return refuse(Refusal::OtherOrganization.oauth_error());
        };
        if principal.impersonating().is_some() && principal.user_id() != &subject {
            return refuse(Refusal::SecondSubject.oauth_error());
        }
        let mut conn = self.db.pool().acquire().await?;
        let start = Start {
            actor: impersonator,
            org,
            target: &subject,
            via: &req.app,
            proof: Proof {
                auth_time: principal.auth_time(),
                method: principal
                    .sign_in_method()
                    .unwrap_or(crate::factors::SignInMethod::Password),
            },
            justification: Asked::Given(&req.justification),
        };
        match ensure_may_start(&mut conn, start, now).await {
            Ok(_) => {}
            Err(crate::Error::ImpersonationRefused(r)) => {
                drop(conn);
                crate::audit::impersonation::refused(
                    &self.db,
                    crate::audit::impersonation::Attempt {
                        org,
                        impersonator,
                        subject: subject.as_str(),
                        via_client_id: &req.app.client_id,
                        request: principal.request(),
                    },
                    r.message(),
                    now,
                )
                .await?;
                return refuse(r.oauth_error());
            }
            // A missing or malformed reason or ticket id: the client's request is incomplete.
            Err(e @ crate::Error::Invalid(_)) => {
                return refuse(OAuthError::invalid_request(described(&e)))
            }
            Err(e) => return Err(e.into()),
        }
        drop(conn);
        let claims = SubjectClaims {
            iss: issuer.clone(),
            sub: subject.as_str().to_owned(),
            aud: req.app.client_id.clone(),
            client_id: req.app.client_id.clone(),
            azp: req.app.client_id.clone(),
            scope: req.scope.to_string(),
            iat: now.0,
            nbf: now.0,
            exp: now.0 + req.app.subject_token_lifetime,
            jti: uuid::Uuid::new_v4().to_string(),
            may_act: Actor {
                sub: impersonator.as_str().to_owned(),
            },
        };
        let subject_token = self.sign_jwt(typ::SUBJECT_TOKEN, &claims, now).await?;
        let id_token = match req.kind {
            crate::oauth::response::ResponseKind::SubjectToken {
                with_id_token: true,
            } => Some(
                self.impersonator_id_token(req, principal, session_hash, now)
                    .await?,
            ),
            _ => None,
        };
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO subject_tokens (jti, app_id, code_challenge, expires_at, exchanged_at, reason, ticket) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6)",
        )
        .bind(&claims.jti)
        .bind(req.app.id.as_str())
        .bind(req.code_challenge.as_deref())
        .bind(claims.exp)
        .bind(req.justification.reason.as_deref())
        .bind(req.justification.ticket.as_deref())
        .execute(&mut *tx)
        .await?;
        if let Some(demand) = demand {
            reauth::fulfil(&mut tx, demand).await?;
        }
        tx.commit().await?;
        let sid = session_id(session_hash);
        let state = session_state(&req.app.client_id, &req.redirect_uri, &sid);
        let mut params = vec![("subject_token", subject_token.as_str())];
        if let Some(id_token) = &id_token {
            params.push(("id_token", id_token));
        }
        if let Some(s) = &req.state {
            params.push(("state", s));
        }
        params.push(("session_state", &state));
        Ok(AuthorizeStep::Redirect(redirect_with_fragment(
            &req.redirect_uri,
            &params,
        )))
    }

    /// The impersonator's own ID token for the client: the actor token of the exchange. Its `isk`
    /// names the SSO session the exchange turns into an impersonation session.
    async fn impersonator_id_token(
        &self,
        req: &AuthorizationRequest,
        principal: &Principal,
        session_hash: &str,
        now: Timestamp,
    ) -> Result<String, OAuthError> {
        let impersonator = users::find_anywhere(self.db.pool(), principal.acting_user().as_str())
            .await?
            .ok_or_else(|| OAuthError::access_denied("The signed-in user no longer exists."))?;
        let org_name = if impersonator.org_id == req.app.org_id {
            req.app.org_name.clone()
        } else {
            self.org_name(&impersonator.org_id).await?
        };
        let claims = IdClaims {
            iss: self.issuer(),
            sub: impersonator.id.as_str().to_owned(),
            aud: req.app.client_id.clone(),
            azp: req.app.client_id.clone(),
            iat: now.0,
            exp: now.0 + req.app.id_token_lifetime,
            nonce: req.nonce.clone(),
            sid: session_id(session_hash),
            isk: session_hash.to_owned(),
            amr: principal
                .sign_in_method()
                .unwrap_or(crate::factors::SignInMethod::Password)
                .amr(),
            auth_time: principal.auth_time().0,
            at_hash: None,
            org_id: impersonator.org_id.as_str().to_owned(),
            org_name,
            user_org: impersonator.org_id.as_str().to_owned(),
            act: None,
            profile: profile_claims(&impersonator, &req.scope),
        };
        Ok(self.sign_jwt(typ::ID_TOKEN, &claims, now).await?)
    }
}
