//! The `organization_switch` grant: a token (possibly an impersonated one) exchanged for a token
//! of the same user in an organization below the token's, with the scopes the user's roles there
//! grant, and `act` carried over unchanged — so an impersonator reaches the child organizations
//! the impersonated user belongs to, with that user's permissions there and no more.

use crate::applications::Application;
use crate::clock::Timestamp;
use crate::factors::SignInMethod;
use crate::ids::OrgId;
use crate::impersonation::standing;
use crate::jwt::typ;
use crate::oauth::grants::{insert_grant, Grant, NewGrant};
use crate::oauth::mint::{grant_of_token_id, user_access_claims};
use crate::oauth::scope::Scope;
use crate::oauth::token::{required, TokenParams, TokenResponse};
use crate::oauth::OAuthError;
use crate::organizations::{members::is_member, sharing::is_shared_with, tree::is_within};
use crate::Engine;
use sqlx::Row;

fn invalid_token() -> OAuthError {
    OAuthError::invalid_grant("Invalid token received.")
}

impl Engine {
    pub(crate) async fn organization_switch(
        &self,
        client: &Application,
        params: &TokenParams,
        now: Timestamp,
    ) -> Result<TokenResponse, OAuthError> {
        let token = required(&params.token, "token")?;
        let switching = required(&params.switching_organization, "switching_organization")?;
        let access = match self.authenticate_bearer(token, now).await {
            Ok(access) => access,
            Err(e) if e.code.is_ours() => return Err(e),
            Err(_) => return Err(invalid_token()),
        };
        // A user's token, issued to this very client: a token is not laundered through another
        // application's credentials.
        let Some(user) = access.user.clone() else {
            return Err(invalid_token());
        };
        if access.claims.client_id != client.client_id {
            return Err(invalid_token());
        }
        let from = OrgId::parse(&access.claims.org_id).ok_or_else(invalid_token)?;
        let target = OrgId::parse(switching)
            .ok_or_else(|| OAuthError::invalid_grant("Invalid organization id"))?;
        let mut conn = self.db.pool().acquire().await?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM organizations WHERE id = $1")
                .bind(target.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        match status.as_deref() {
            None => return Err(OAuthError::invalid_grant("Invalid organization id")),
            Some("active") => {}
            Some(_) => {
                return Err(OAuthError::invalid_grant(
                    "The switching organization is in deactivated state.",
                ))
            }
        }
        if target == from || !is_within(&mut conn, &from, &target).await? {
            return Err(OAuthError::invalid_grant(
                "Organization switch is only allowed for the organizations in the same branch.",
            ));
        }
        if !is_shared_with(&mut conn, client, &target).await? {
            return Err(OAuthError::invalid_grant(
                "The application is not shared with the switching organization.",
            ));
        }
        if !is_member(&mut conn, &user.id, &target).await? {
            return Err(OAuthError::invalid_grant(
                "The user is not a member of the switching organization.",
            ));
        }
        // The new grant lives as long as the one it came from: the same sign-in session and the
        // same impersonation (ending it revokes both).
        let grant = grant_of_token_id(&access.claims.jti).ok_or_else(invalid_token)?;
        let source =
            sqlx::query("SELECT session_hash, auth_time, amr FROM oauth_grants WHERE id = $1")
                .bind(grant)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(invalid_token)?;
        let session_hash: Option<String> = source.try_get("session_hash")?;
        let auth_time: i64 = source.try_get("auth_time")?;
        let method = SignInMethod::from_stored(&source.try_get::<String, _>("amr")?);
        // An impersonated token goes on only as far as the impersonation decision allows: the
        // user may hold more in the organization entered than the impersonator may reach.
        if let Some(impersonation) = access.impersonation_id.as_deref() {
            // Paused in the organization entered, or no longer allowed where it began.
            let refused = match crate::impersonation::pause::refusal(&mut conn, &target).await? {
                Some(paused) => Some(paused),
                None => standing::refusal(&mut conn, impersonation, client, now).await?,
            };
            if let Some(refusal) = refused {
                drop(conn);
                if let Some(act) = &access.claims.act {
                    crate::audit::impersonation::refused(
                        &self.db,
                        crate::audit::impersonation::Attempt {
                            org: &target,
                            impersonator: &crate::UserId::from_db(act.sub.clone()),
                            subject: user.id.as_str(),
                            via_client_id: &client.client_id,
                            request: params.request.as_deref(),
                        },
                        refusal.message(),
                        now,
                    )
                    .await?;
                }
                return Err(refusal.oauth_error());
            }
        }
        drop(conn);

        let asked = match params.scope.as_deref() {
            Some(raw) if !raw.trim().is_empty() => Scope::parse(raw)?,
            _ => Scope::from_stored(&access.claims.scope),
        };
        let scope = self
            .decide_user_scope(client, &user.id, &target, &asked)
            .await?;
        let actor_id = access.claims.act.as_ref().map(|a| a.sub.clone());
        let mut tx = self.db.begin().await?;
        let grant_id = insert_grant(
            &mut tx,
            NewGrant {
                app: client,
                user_id: &user.id,
                org_id: &target,
                actor_id: actor_id.as_deref(),
                impersonation_id: access.impersonation_id.as_deref(),
                scope: &scope,
                session_hash: session_hash.as_deref().unwrap_or_default(),
                auth_time: Timestamp(auth_time),
                method,
                source: Some((grant, &access.claims.jti)),
                active_now: true,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        let grant = Grant {
            id: grant_id,
            app_id: client.id.clone(),
            user_id: user.id.clone(),
            org_id: target.clone(),
            actor_id,
            scope: scope.clone(),
            session_hash,
            auth_time,
            method,
            revoked: false,
        };
        let org_name = self.org_name(&target).await?;
        let claims =
            user_access_claims(self.issuer(), client, &grant, &user, &scope, &org_name, now);
        Ok(TokenResponse::bearer(
            self.sign_jwt(typ::ACCESS_TOKEN, &claims, now).await?,
            client.access_token_lifetime,
            scope.to_string(),
        ))
    }
}
