//! Verifying the tokens Guise signed: RS256 with a key from its JWKS, the issuer, the audience
//! (our client ID), the expiry, and for the ID token the `nonce` of our request.

use crate::http_client::{self, Request};
use crate::oidc::Discovery;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// The claims the sample shows.
#[derive(Clone, Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// The organization the token is for (Guise's `org_name`).
    #[serde(default)]
    pub org_name: Option<String>,
    /// Present when someone acts on the user's behalf (RFC 8693 §4.1).
    #[serde(default)]
    pub act: Option<Actor>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Actor {
    pub sub: String,
}

/// The provider's current signing keys (fetched for each sign-in: keys rotate).
pub async fn keys(discovery: &Discovery) -> Result<JwkSet, String> {
    let response = http_client::send(Request::get(&discovery.jwks_uri)).await?;
    if !response.is_success() {
        return Err(format!("The JWKS answered {}", response.status));
    }
    serde_json::from_slice(&response.body).map_err(|e| format!("The JWKS is malformed: {e}"))
}

/// Verifies a JWT signed by the provider for this client and returns its claims.
pub fn verify(token: &str, keys: &JwkSet, issuer: &str, client_id: &str) -> Result<Claims, String> {
    let header = decode_header(token).map_err(|e| format!("not a JWT: {e}"))?;
    // The algorithm is ours to choose, never the token's.
    if header.alg != Algorithm::RS256 {
        return Err(format!("signed with {:?}, not RS256", header.alg));
    }
    let jwk = match &header.kid {
        Some(kid) => keys.find(kid),
        None => keys.keys.first(),
    }
    .ok_or("signed with a key the provider does not publish")?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("unusable key: {e}"))?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    decode::<Claims>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| format!("refused: {e}"))
}
