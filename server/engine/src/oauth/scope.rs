//! Scopes: parsing (RFC 6749 §3.3) and the one decision of what a token may carry.

use crate::applications::Application;
use crate::ids::{OrgId, UserId};
use crate::oauth::OAuthError;
use crate::permissions::ORGANIZATION_AUDIENCE;
use crate::Engine;
use std::collections::BTreeSet;
use std::fmt;

/// Scopes of OpenID Connect itself: granted to any signed-in user who asks, never to a client alone.
pub const OIDC_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

/// Scopes every user holds for themselves: `internal_login` lets an application act on the
/// signed-in user's own account (`/scim2/Me`).
pub const SELF_SCOPES: &[&str] = &["internal_login"];

/// A set of scope tokens, kept sorted so that two equal sets print the same.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope(BTreeSet<String>);

impl Scope {
    /// Space-separated tokens of `%x21 / %x23-5B / %x5D-7E`.
    pub fn parse(raw: &str) -> Result<Self, OAuthError> {
        let mut set = BTreeSet::new();
        for token in raw.split(' ').filter(|t| !t.is_empty()) {
            let ok = token
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b));
            if !ok {
                return Err(OAuthError::invalid_scope(
                    "The scope contains characters that are not allowed.",
                ));
            }
            set.insert(token.to_owned());
        }
        Ok(Self(set))
    }

    /// For values we stored ourselves.
    pub(crate) fn from_stored(raw: &str) -> Self {
        Self(
            raw.split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }

    pub fn contains(&self, scope: &str) -> bool {
        self.0.contains(scope)
    }

    pub fn is_subset(&self, other: &Scope) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn intersection(&self, other: &Scope) -> Scope {
        Scope(self.0.intersection(&other.0).cloned().collect())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(s)?;
            first = false;
        }
        Ok(())
    }
}

impl FromIterator<String> for Scope {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Engine {
    /// What a user's token for `app` carries: the scopes requested, cut down to the OpenID and
    /// self-service scopes plus those both authorized for the application and granted by the user's
    /// roles whose audience is this application or the whole organization. Scopes no API resource
    /// owns, and scopes of API resources the application is not authorized for, never pass.
    pub async fn decide_user_scope(
        &self,
        app: &Application,
        user: &UserId,
        org: &OrgId,
        requested: &Scope,
    ) -> Result<Scope, OAuthError> {
        let mut conn = self.db.pool().acquire().await?;
        let granted = granted_for_app(&mut conn, app, user, org).await?;
        let allowed: Scope = granted
            .into_iter()
            .chain(
                OIDC_SCOPES
                    .iter()
                    .chain(SELF_SCOPES)
                    .map(|s| (*s).to_owned()),
            )
            .collect();
        Ok(requested.intersection(&allowed))
    }
}

/// The scopes `user`'s roles grant for `app` (roles of the organization or of the application)
/// that the application is authorized for: the one query behind every user's token scope, and
/// behind whether an impersonator may impersonate in the application.
pub(crate) async fn granted_for_app(
    conn: &mut sqlx::AnyConnection,
    app: &Application,
    user: &UserId,
    org: &OrgId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT rp.scope FROM role_assignments ra \
         JOIN roles r ON r.id = ra.role_id \
         JOIN role_permissions rp ON rp.role_id = r.id \
         JOIN application_authorizations aa ON aa.app_id = $4 AND aa.scope = rp.scope \
         WHERE ra.user_id = $1 AND r.org_id = $2 AND (r.audience_key = $3 OR r.audience_key = $4)",
    )
    .bind(user.as_str())
    .bind(org.as_str())
    .bind(ORGANIZATION_AUDIENCE)
    .bind(app.id.as_str())
    .fetch_all(&mut *conn)
    .await
}
