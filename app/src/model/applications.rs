use serde::{Deserialize, Serialize};
use std::fmt;

/// A row of the Applications list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub client_id: String,
    pub public_client: bool,
    /// Console or My Account: configurable only within safe limits.
    pub system: bool,
    /// The My Account portal, which can be switched on and off.
    pub my_account: bool,
}

/// Every setting of an application, as its tabs show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub summary: ApplicationSummary,
    pub access_url: String,
    pub discoverable: bool,
    pub protocol: ProtocolForm,
    pub skip_login_consent: bool,
    pub skip_logout_consent: bool,
    /// Whether users may sign into it (only My Account can be switched off).
    pub enabled: bool,
    /// Where the application finds the provider, for its organization.
    pub endpoints: Endpoints,
}

/// The provider's endpoints an application is configured with, for its organization.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoints {
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

/// The General tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneralForm {
    pub name: String,
    pub description: String,
    pub access_url: String,
    pub discoverable: bool,
}

/// The Protocol tab. Lifetimes in seconds; grant types by their wire names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolForm {
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub grant_types: Vec<String>,
    pub pkce_required: bool,
    pub access_token_lifetime: i64,
    pub refresh_token_lifetime: i64,
    pub id_token_lifetime: i64,
    pub subject_token_enabled: bool,
    pub subject_token_lifetime: i64,
    /// **Refresh token grace period** (seconds, 0–60; 0 makes every reuse of a rotated refresh
    /// token end its family).
    pub refresh_grace_secs: i64,
}

/// New Application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApplicationForm {
    pub name: String,
    pub public_client: bool,
    pub redirect_uris: Vec<String>,
    pub access_url: String,
}

/// The grant types the Protocol tab offers: wire name and label.
pub const GRANT_TYPES: &[(&str, &str)] = &[
    ("authorization_code", "Code"),
    ("refresh_token", "Refresh Token"),
    ("client_credentials", "Client Credentials"),
    (
        "urn:ietf:params:oauth:grant-type:token-exchange",
        "Token Exchange",
    ),
    ("organization_switch", "Organization Switch"),
];

/// A client secret, shown to the administrator once, right after it is made; the server keeps only
/// its digest. `Debug` hides it so it never reaches a log by accident.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeSecret(pub String);

impl fmt::Debug for OneTimeSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeSecret(…)")
    }
}

/// A registered application: its id, and its secret when it is a confidential client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApplication {
    pub id: String,
    /// What the application sends as `client_id`, shown beside its secret.
    pub client_id: String,
    pub client_secret: Option<OneTimeSecret>,
}
