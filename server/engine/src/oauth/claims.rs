//! The claims of the tokens we sign, as in the wire contract.

use serde::{Deserialize, Serialize};

/// `aut` of a token issued for a user.
pub const AUT_USER: &str = "APPLICATION_USER";
/// `aut` of a token a client obtained for itself.
pub const AUT_APPLICATION: &str = "APPLICATION";

/// `act` / `may_act`: who really acts (RFC 8693 §4.1).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Actor {
    pub sub: String,
}

/// JWT access token (RFC 9068).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccessClaims {
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
    pub aut: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Actor>,
}

impl AccessClaims {
    pub fn is_for_user(&self) -> bool {
        self.aut == AUT_USER
    }
}

/// OpenID Connect ID token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub azp: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub sid: String,
    pub isk: String,
    pub amr: Vec<String>,
    pub auth_time: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    pub org_id: String,
    pub org_name: String,
    pub user_org: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Actor>,
    #[serde(flatten)]
    pub profile: serde_json::Map<String, serde_json::Value>,
}
