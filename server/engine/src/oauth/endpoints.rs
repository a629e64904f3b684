//! Where an organization's applications find the provider: one list, read by the discovery
//! document and by the Console's application page, so the two never disagree.

use crate::error::Result;
use crate::ids::OrgId;
use crate::Engine;

/// The provider's endpoints for the applications of one organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// What every token names as `iss`, whatever the organization.
    pub issuer: String,
    pub discovery: String,
    pub authorize: String,
    pub token: String,
    pub userinfo: String,
    pub jwks: String,
    pub introspection: String,
    pub revocation: String,
    pub logout: String,
}

impl Engine {
    /// The endpoints under `prefix`: empty for the root organization, the organization's path
    /// (`/o/{id}`, `/t/{handle}`) for another, so its users sign in there.
    pub fn endpoints_under(&self, prefix: &str) -> Endpoints {
        let base = format!("{}{prefix}", self.settings.public_url.trim_end_matches('/'));
        Endpoints {
            issuer: self.issuer(),
            discovery: format!("{base}/oauth2/token/.well-known/openid-configuration"),
            authorize: format!("{base}/oauth2/authorize"),
            token: format!("{base}/oauth2/token"),
            userinfo: format!("{base}/oauth2/userinfo"),
            jwks: format!("{base}/oauth2/jwks"),
            introspection: format!("{base}/oauth2/introspect"),
            revocation: format!("{base}/oauth2/revoke"),
            logout: format!("{base}/oidc/logout"),
        }
    }

    /// The endpoints for the applications of `org`: the root's own, or under `/o/{id}`.
    pub async fn endpoints_of(&self, org: &OrgId) -> Result<Endpoints> {
        let prefix = if *org == self.root_org().await? {
            String::new()
        } else {
            format!("/o/{org}")
        };
        Ok(self.endpoints_under(&prefix))
    }
}
