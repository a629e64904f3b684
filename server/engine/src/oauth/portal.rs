//! The Console and My Account are clients of our own provider. Their tokens stay on the server:
//! the grant their sign-in produced, bound to the browser's SSO session, is what their server
//! functions act with.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::impersonation::records;
use crate::oauth::authorize::{Entry, NOT_SHARED};
use crate::oauth::grants::{insert_grant, NewGrant};
use crate::oauth::scope::Scope;
use crate::oauth::OAuthError;
use crate::principal::Principal;
use crate::Engine;

impl Engine {
    /// The scopes the SSO session's latest sign-in to the portal `kind` (`CONSOLE_APP` or
    /// `MY_ACCOUNT_APP`) produced; `Unauthenticated` when the browser has not signed into it in this
    /// session (or that sign-in was revoked). One query: it runs on every portal request.
    pub async fn portal_scope(&self, principal: &Principal, kind: &str) -> Result<Scope> {
        let scope: String = sqlx::query_scalar(
            "SELECT g.scope FROM oauth_grants g JOIN applications a ON a.id = g.app_id \
             WHERE g.session_hash = $1 AND a.system_kind = $2 AND g.user_id = $3 \
             AND g.activated_at IS NOT NULL AND g.revoked_at IS NULL ORDER BY g.activated_at DESC LIMIT 1",
        )
        .bind(principal.session_hash())
        .bind(kind)
        .bind(principal.user_id.as_str())
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Error::Unauthenticated)?;
        Ok(Scope::from_stored(&scope))
    }
}

/// What each portal asks for when it signs a user in.
fn portal_request_scope(kind: &str) -> String {
    let mut scopes: Vec<&str> = vec!["openid", "profile", "email", "internal_login"];
    if kind == crate::permissions::CONSOLE_APP {
        scopes.extend_from_slice(crate::permissions::scopes::CONSOLE_ADMINISTRATOR);
    }
    scopes.join(" ")
}

impl Engine {
    /// Signs the SSO session into a portal (`CONSOLE_APP` or `MY_ACCOUNT_APP`): the decisions an
    /// authorization request through `/oauth2/authorize` would make for it — the portal is enabled
    /// and serves the user's organization, an impersonation may enter it, the scope the user's
    /// roles grant — and the grant recorded directly, activated. A portal's tokens would never
    /// leave the server, so none is signed. Returns the scope granted.
    #[tracing::instrument(name = "sign_into_portal", skip_all, fields(portal = kind))]
    pub async fn sign_into_portal(
        &self,
        principal: &Principal,
        kind: &str,
        now: Timestamp,
    ) -> Result<Scope> {
        let Some(session_hash) = principal.session_hash() else {
            // A portal is entered by a browser's sign-in session only.
            return Err(Error::Unauthenticated);
        };
        if kind == crate::permissions::CONSOLE_APP {
            crate::ceiling::administering::ensure_may_administer(principal)?;
        }
        let app = self.system_application(kind).await?;
        if !app.enabled {
            return Err(Error::Refused(
                "My Account is disabled by your organization's administrators.",
            ));
        }
        let asked = Scope::from_stored(&portal_request_scope(kind));
        let scope = match self
            .decide_entry(principal, &app, &asked, now)
            .await
            .map_err(from_protocol)?
        {
            Entry::Allowed(scope) => scope,
            Entry::NotShared => return Err(Error::Refused(NOT_SHARED)),
            Entry::Refused(refusal) => return Err(refusal.into()),
        };
        let mut tx = self.db.begin().await?;
        let grant = NewGrant::of_session(&app, principal, session_hash, &scope, true);
        insert_grant(&mut tx, grant, now)
            .await
            .map_err(from_protocol)?;
        if let Some(impersonating) = principal.impersonating() {
            records::record_entry(&mut tx, &impersonating.id, &app, now).await?;
        }
        tx.commit().await?;
        Ok(scope)
    }
}

/// A protocol-level failure of a portal sign-in, which has no protocol to answer in: our failure.
fn from_protocol(e: OAuthError) -> Error {
    match e.code {
        code if code.is_ours() => Error::Unavailable(e.description),
        _ => Error::Internal(format!("portal sign-in: {e}")),
    }
}
