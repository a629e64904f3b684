//! Compact JWS with RS256: signing with our current key, and validation that trusts nothing the
//! token says about how to check it.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, Validation};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

/// Clock skew tolerated on `exp`, `nbf` and `iat`.
pub const LEEWAY_SECS: u64 = 60;

/// Header `typ` values.
pub mod typ {
    pub const ACCESS_TOKEN: &str = "at+jwt";
    pub const ID_TOKEN: &str = "JWT";
    pub const SUBJECT_TOKEN: &str = "jwt";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expiry {
    Enforce,
    Ignore,
}

/// Why a token was refused. Callers map every case to one protocol error; the detail is for logs.
#[derive(Debug, thiserror::Error)]
pub enum TokenRejected {
    #[error("malformed token")]
    Malformed,
    #[error("header asks for a key source we never use (jku, jwk, x5u, x5c)")]
    ForeignKeySource,
    #[error("header names critical extensions (crit), and we understand none")]
    CriticalExtension,
    #[error("unknown key id")]
    UnknownKey,
    #[error("wrong token type")]
    WrongType,
    #[error("signature, issuer or time check failed: {0}")]
    Invalid(String),
    /// Our keys could not be read (the database failed): nothing is known about the token, so
    /// it must not be answered as invalid.
    #[error("keys could not be read: {0}")]
    Ours(crate::Error),
}

impl Engine {
    /// Signs `claims` with the current key.
    pub(crate) async fn sign_jwt<C: Serialize>(
        &self,
        typ: &str,
        claims: &C,
        now: Timestamp,
    ) -> Result<String> {
        let keys = self.keys(now).await?;
        let key = keys
            .current(now)
            .ok_or_else(|| Error::Internal("no current signing key".into()))?;
        let header = json!({ "alg": "RS256", "kid": key.kid, "x5t": key.x5t, "typ": typ });
        let mut token = String::with_capacity(1024);
        token.push_str(&URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).map_err(internal)?));
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).map_err(internal)?));
        let signature = key.sign(token.as_bytes())?;
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        Ok(token)
    }

    /// Validates a JWT we issued: RS256 with one of our keys (chosen by `kid`, the algorithm fixed by
    /// the key, never by the token), no `crit` header, our issuer, `exp`/`nbf`/`iat` within
    /// [`LEEWAY_SECS`], and the header `typ` equal to `expected_typ` (case-insensitive, so an ID
    /// token is never taken for an access token).
    pub(crate) async fn verify_jwt<C: DeserializeOwned>(
        &self,
        token: &str,
        expected_typ: &str,
        now: Timestamp,
    ) -> std::result::Result<C, TokenRejected> {
        self.verify_jwt_at(token, expected_typ, now, Expiry::Enforce)
            .await
    }

    /// Like [`Engine::verify_jwt`]; with [`Expiry::Ignore`] for hints such as `id_token_hint`, which
    /// OIDC lets clients send after the token expired.
    pub(crate) async fn verify_jwt_at<C: DeserializeOwned>(
        &self,
        token: &str,
        expected_typ: &str,
        now: Timestamp,
        expiry: Expiry,
    ) -> std::result::Result<C, TokenRejected> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenRejected::Malformed)?;
        if header.jku.is_some()
            || header.jwk.is_some()
            || header.x5u.is_some()
            || header.x5c.is_some()
        {
            return Err(TokenRejected::ForeignKeySource);
        }
        if names_critical_extensions(token)? {
            return Err(TokenRejected::CriticalExtension);
        }
        if header.alg != Algorithm::RS256 {
            return Err(TokenRejected::Invalid("algorithm is not RS256".into()));
        }
        let typ_ok = header
            .typ
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(expected_typ));
        if !typ_ok {
            return Err(TokenRejected::WrongType);
        }
        let kid = header.kid.ok_or(TokenRejected::UnknownKey)?;
        let key = self
            .key_by_id(&kid, now)
            .await
            .map_err(TokenRejected::Ours)?
            .ok_or(TokenRejected::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = LEEWAY_SECS;
        // Time is checked below against our clock (tests move it); jsonwebtoken would use the wall clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.set_issuer(&[self.issuer()]);
        validation.set_required_spec_claims(&["exp", "iss", "iat"]);
        let data = jsonwebtoken::decode::<serde_json::Value>(token, &key.decoding, &validation)
            .map_err(|e| TokenRejected::Invalid(e.to_string()))?;
        let exp = data.claims.get("exp").and_then(|v| v.as_i64()).unwrap_or(0);
        if expiry == Expiry::Enforce && exp + LEEWAY_SECS as i64 <= now.0 {
            return Err(TokenRejected::Invalid("expired".into()));
        }
        if let Some(nbf) = data.claims.get("nbf").and_then(|v| v.as_i64()) {
            if nbf - LEEWAY_SECS as i64 > now.0 {
                return Err(TokenRejected::Invalid("not yet valid".into()));
            }
        }
        // `iat` is required above; a token issued in the future was not issued by our clock.
        let iat = data
            .claims
            .get("iat")
            .and_then(|v| v.as_i64())
            .ok_or(TokenRejected::Malformed)?;
        if iat - LEEWAY_SECS as i64 > now.0 {
            return Err(TokenRejected::Invalid("issued in the future".into()));
        }
        serde_json::from_value(data.claims).map_err(|_| TokenRejected::Malformed)
    }

    /// `{base}/oauth2/token`, exactly.
    pub fn issuer(&self) -> String {
        format!(
            "{}/oauth2/token",
            self.settings.public_url.trim_end_matches('/')
        )
    }
}

/// RFC 7515 §4.1.11: a recipient must refuse a JWS whose `crit` header lists an extension it does
/// not understand. We understand none, so any `crit` (even an empty list, which §4.1.11 forbids)
/// refuses the token. The header is read raw: a typed header would drop the member unseen.
fn names_critical_extensions(token: &str) -> std::result::Result<bool, TokenRejected> {
    let encoded = token.split('.').next().unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| TokenRejected::Malformed)?;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|_| TokenRejected::Malformed)?;
    Ok(header.contains_key("crit"))
}

fn internal(e: serde_json::Error) -> Error {
    Error::Internal(format!("json: {e}"))
}
