//! The token exchange grant (RFC 8693) for impersonation: a subject token from the authorization
//! endpoint, plus the impersonator's ID token as the actor token, becomes an access token for the
//! subject with `act.sub` = the impersonator. The SSO session the actor token names becomes an
//! impersonation session, so the impersonator's further sign-ins in that browser are the user's.
//!
//! Cost: two signature checks, one signature, and one short write transaction (the subject token
//! claimed, the session bound, the grant recorded); the signature comes after the commit, so a
//! SQLite writer never holds its lock through RSA.

use crate::applications::{Application, ClientType};
use crate::clock::Timestamp;
use crate::factors::SignInMethod;
use crate::ids::UserId;
use crate::impersonation::justification::{described, Asked, Justification};
use crate::impersonation::records::{self, Begin};
use crate::impersonation::step_up::{ensure_may_start, Proof, Start};
use crate::jwt::{typ, TokenRejected};
use crate::oauth::claims::IdClaims;
use crate::oauth::grants::{insert_grant, Grant, NewGrant};
use crate::oauth::mint::user_access_claims;
use crate::oauth::scope::Scope;
use crate::oauth::subject_token::SubjectClaims;
use crate::oauth::token::{pkce_matches, required, TokenParams, TokenResponse};
use crate::oauth::OAuthError;
use crate::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sqlx::Row;

pub const TOKEN_TYPE_JWT: &str = "urn:ietf:params:oauth:token-type:jwt";
pub const TOKEN_TYPE_ID_TOKEN: &str = "urn:ietf:params:oauth:token-type:id_token";
pub const TOKEN_TYPE_ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";

/// The `iss` of a JWT, read before its signature is checked: only to answer a token from another
/// issuer with the contract's `invalid_target`, never to trust anything in it.
fn claimed_issuer(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get("iss")?.as_str().map(str::to_owned)
}

fn invalid_issuer() -> OAuthError {
    OAuthError::invalid_target("Invalid issuer values provided")
}

/// A subject or actor token that is invalid for any reason (forged, expired, of the wrong type,
/// used up, its session gone) is `invalid_request` (RFC 8693 §2.2.2), not `invalid_grant`. A
/// verification failure of ours (the keys could not be read) stays a server error.
fn rejected(what: &str, e: TokenRejected) -> OAuthError {
    match e {
        TokenRejected::Ours(failure) => OAuthError::from(failure),
        e => {
            tracing::debug!("token exchange: {what} rejected: {e}");
            OAuthError::invalid_request(format!("The {what} is invalid or expired."))
        }
    }
}

impl Engine {
    pub(crate) async fn token_exchange(
        &self,
        client: &Application,
        params: &TokenParams,
        now: Timestamp,
    ) -> Result<TokenResponse, OAuthError> {
        let subject_token = required(&params.subject_token, "subject_token")?;
        if required(&params.subject_token_type, "subject_token_type")? != TOKEN_TYPE_JWT {
            return Err(OAuthError::invalid_request(format!(
                "subject_token_type must be {TOKEN_TYPE_JWT}."
            )));
        }
        let actor_token = required(&params.actor_token, "actor_token")?;
        if required(&params.actor_token_type, "actor_token_type")? != TOKEN_TYPE_ID_TOKEN {
            return Err(OAuthError::invalid_request(format!(
                "actor_token_type must be {TOKEN_TYPE_ID_TOKEN}."
            )));
        }
        if let Some(requested) = params.requested_token_type.as_deref() {
            if !requested.is_empty() && requested != TOKEN_TYPE_ACCESS_TOKEN {
                return Err(OAuthError::invalid_request(format!(
                    "requested_token_type must be {TOKEN_TYPE_ACCESS_TOKEN}."
                )));
            }
        }
        let issuer = self.issuer();
        for token in [subject_token, actor_token] {
            if claimed_issuer(token).as_deref() != Some(issuer.as_str()) {
                return Err(invalid_issuer());
            }
        }
        let subject: SubjectClaims = self
            .verify_jwt(subject_token, typ::SUBJECT_TOKEN, now)
            .await
            .map_err(|e| rejected("subject token", e))?;
        if subject.aud != client.client_id {
            return Err(OAuthError::invalid_target(
                "The subject token was not issued to this client.",
            ));
        }
        let actor: IdClaims = self
            .verify_jwt(actor_token, typ::ID_TOKEN, now)
            .await
            .map_err(|e| rejected("actor token", e))?;
        if actor.sub != subject.may_act.sub {
            return Err(OAuthError::invalid_request(
                "Subject of actor token and subject are different.",
            ));
        }
        if actor.aud != client.client_id {
            return Err(OAuthError::invalid_request(
                "The actor token was not issued to this client.",
            ));
        }
        let (Some(impersonator), Some(target)) =
            (UserId::parse(&actor.sub), UserId::parse(&subject.sub))
        else {
            return Err(OAuthError::invalid_request(
                "The tokens name no user of ours.",
            ));
        };
        let requested = match params.scope.as_deref() {
            Some(raw) if !raw.trim().is_empty() => Some(Scope::parse(raw)?),
            _ => None,
        };

        // The SSO session the actor token names: live, and the impersonator's own.
        let session = sqlx::query(
            "SELECT s.auth_time, s.amr, u.org_id FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.user_id = $2 AND s.expires_at > $3",
        )
        .bind(&actor.isk)
        .bind(impersonator.as_str())
        .bind(now.0)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| {
            OAuthError::invalid_request("The impersonator's sign-in session has ended.")
        })?;
        let auth_time: i64 = session.try_get("auth_time")?;
        let method = SignInMethod::from_stored(&session.try_get::<String, _>("amr")?);
        let org = crate::OrgId::from_db(session.try_get("org_id")?);
        // What the token carries: the subject token's scope, cut to what was asked now, then to
        // what the user holds for this application (the impersonator acts with the user's rights).
        let offered = Scope::from_stored(&subject.scope);
        let asked = match &requested {
            Some(r) => offered.intersection(r),
            None => offered,
        };
        let scope = self
            .decide_user_scope(client, &target, &org, &asked)
            .await?;

        // The decision, before the write transaction: SQLite has one writer, and what it holds
        // the lock through caps every exchange's throughput. (Every sign-in the impersonation makes
        // later decides again.)
        // The step-up is judged when the subject token was issued: that request started the
        // impersonation, and this one completes it within the subject token's short life.
        // The reason and ticket id the subject token was asked with, held to the policy again.
        let given: Option<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT reason, ticket FROM subject_tokens WHERE jti = $1")
                .bind(&subject.jti)
                .fetch_optional(self.db.pool())
                .await?;
        let justification = given
            .map(|(reason, ticket)| Justification::new(reason.as_deref(), ticket.as_deref()))
            .unwrap_or_default();
        let decision = {
            let mut conn = self.db.pool().acquire().await?;
            let start = Start {
                actor: &impersonator,
                org: &org,
                target: &target,
                via: client,
                proof: Proof {
                    auth_time: Timestamp(auth_time),
                    method,
                },
                justification: Asked::Given(&justification),
            };
            ensure_may_start(&mut conn, start, Timestamp(subject.iat)).await
        };
        let user = match decision {
            Ok(user) => user,
            Err(crate::Error::ImpersonationRefused(refusal)) => {
                crate::audit::impersonation::refused(
                    &self.db,
                    crate::audit::impersonation::Attempt {
                        org: &org,
                        impersonator: &impersonator,
                        subject: target.as_str(),
                        via_client_id: &client.client_id,
                        request: params.request.as_deref(),
                    },
                    refusal.message(),
                    now,
                )
                .await?;
                return Err(refusal.oauth_error());
            }
            Err(e @ crate::Error::Invalid(_)) => {
                return Err(OAuthError::invalid_request(described(&e)))
            }
            Err(e) => return Err(e.into()),
        };

        let mut tx = self.db.begin().await?;
        // One use per subject token: of two concurrent exchanges exactly one claims it. The claim
        // is the first statement, so SQLite takes its writer lock here (waiting its turn) rather
        // than upgrading a read.
        let claimed = sqlx::query(
            "UPDATE subject_tokens SET exchanged_at = $1 WHERE jti = $2 AND exchanged_at IS NULL \
             RETURNING app_id, code_challenge",
        )
        .bind(now.0)
        .bind(&subject.jti)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            OAuthError::invalid_request(
                "The subject token is invalid, expired or already exchanged.",
            )
        })?;
        check_binding(client, &claimed, params)?;
        let live = records::begin(
            &mut tx,
            Begin {
                session_hash: &actor.isk,
                org: &org,
                impersonator: &impersonator,
                subject: &target,
                via: client,
                limit_secs: self.settings.impersonation_limit_secs,
                request: params.request.as_deref(),
                justification: &justification,
            },
            now,
        )
        .await?;
        let grant_id = insert_grant(
            &mut tx,
            NewGrant {
                app: client,
                user_id: &target,
                org_id: &org,
                actor_id: Some(impersonator.as_str()),
                impersonation_id: Some(&live.id),
                scope: &scope,
                session_hash: &actor.isk,
                auth_time: Timestamp(auth_time),
                method,
                source: None,
                active_now: true,
            },
            now,
        )
        .await?;
        records::record_entry(&mut tx, &live.id, client, now).await?;
        tx.commit().await?;

        let grant = Grant {
            id: grant_id,
            app_id: client.id.clone(),
            user_id: target,
            org_id: org,
            actor_id: Some(impersonator.as_str().to_owned()),
            scope: scope.clone(),
            session_hash: Some(actor.isk.clone()),
            auth_time,
            method,
            revoked: false,
        };
        let org_name = if grant.org_id == client.org_id {
            client.org_name.clone()
        } else {
            self.org_name(&grant.org_id).await?
        };
        let claims = user_access_claims(issuer, client, &grant, &user, &scope, &org_name, now);
        Ok(TokenResponse {
            issued_token_type: Some(TOKEN_TYPE_ACCESS_TOKEN.into()),
            ..TokenResponse::bearer(
                self.sign_jwt(typ::ACCESS_TOKEN, &claims, now).await?,
                client.access_token_lifetime,
                scope.to_string(),
            )
        })
    }
}

/// The subject token, claimed, must be one we issued to this client; a public client proves with
/// the PKCE verifier that it made the request the token answered.
fn check_binding(
    client: &Application,
    claimed: &sqlx::any::AnyRow,
    params: &TokenParams,
) -> Result<(), OAuthError> {
    if claimed.try_get::<String, _>("app_id")? != client.id.as_str() {
        return Err(OAuthError::invalid_target(
            "The subject token was not issued to this client.",
        ));
    }
    match (
        claimed.try_get::<Option<String>, _>("code_challenge")?,
        params.code_verifier.as_deref(),
    ) {
        (Some(challenge), Some(verifier)) if pkce_matches(verifier, &challenge) => Ok(()),
        (Some(_), Some(_)) => Err(OAuthError::invalid_grant("PKCE verification failed.")),
        (Some(_), None) => Err(OAuthError::invalid_grant(
            "code_verifier is missing: the authorization request had a challenge.",
        )),
        (None, _) if client.client_type == ClientType::Public => {
            Err(OAuthError::invalid_grant("A public client must use PKCE."))
        }
        (None, _) => Ok(()),
    }
}
