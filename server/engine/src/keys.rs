//! Signing keys: RSA-2048, generated on first start and stored in the database, rotated on demand.
//!
//! Every node keeps the parsed keys in memory (parsing a private key costs more than signing with
//! it) and reloads them from the database when they may have changed: after a rotation here, on an
//! unknown `kid`, and at most [`RELOAD_AFTER_SECS`] after the last load (another node rotated).

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::Engine;
use aws_lc_rs::digest;
use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use jsonwebtoken::DecodingKey;
use serde_json::{json, Value};
use std::sync::{Arc, RwLock};

/// How long a node trusts its cached key set before looking at the database again.
pub const RELOAD_AFTER_SECS: i64 = 60;

/// A key that verifies tokens; the current one also signs.
pub struct SigningKey {
    pub kid: String,
    /// base64url SHA-1 of the DER public key: `x5t` in headers and the JWKS.
    pub x5t: String,
    n: String,
    e: String,
    pair: KeyPair,
    pub(crate) decoding: DecodingKey,
    pub retired_at: Option<Timestamp>,
}

impl SigningKey {
    fn from_pkcs8(kid: String, der: &[u8], retired_at: Option<Timestamp>) -> Result<Self> {
        let pair = KeyPair::from_pkcs8(der)
            .map_err(|e| Error::Internal(format!("signing key {kid}: {e}")))?;
        let public = pair.public_key();
        let n = public.modulus().big_endian_without_leading_zero().to_vec();
        let e = public.exponent().big_endian_without_leading_zero().to_vec();
        let spki: PublicKeyX509Der = public
            .as_der()
            .map_err(|_| Error::Internal(format!("signing key {kid}: public key encoding")))?;
        let thumbprint = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, spki.as_ref());
        Ok(Self {
            x5t: URL_SAFE_NO_PAD.encode(thumbprint.as_ref()),
            decoding: DecodingKey::from_rsa_raw_components(&n, &e),
            n: URL_SAFE_NO_PAD.encode(&n),
            e: URL_SAFE_NO_PAD.encode(&e),
            pair,
            kid,
            retired_at,
        })
    }

    /// RS256 signature over `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let mut signature = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| Error::Internal("RSA signing failed".into()))?;
        Ok(signature)
    }

    fn jwk(&self) -> Value {
        json!({
            "kty": "RSA", "use": "sig", "alg": "RS256",
            "kid": self.kid, "x5t": self.x5t, "n": self.n, "e": self.e,
        })
    }
}

/// The keys a node currently knows: the signing key first, then retired keys still trusted.
pub struct KeySet {
    pub keys: Vec<Arc<SigningKey>>,
    loaded_at: Timestamp,
}

impl KeySet {
    pub fn current(&self) -> Option<&Arc<SigningKey>> {
        self.keys.first().filter(|k| k.retired_at.is_none())
    }

    pub fn find(&self, kid: &str) -> Option<&Arc<SigningKey>> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// The JWK Set document (RFC 7517).
    pub fn jwks(&self) -> Value {
        json!({ "keys": self.keys.iter().map(|k| k.jwk()).collect::<Vec<_>>() })
    }
}

/// The shared, reloadable cache of [`KeySet`].
#[derive(Clone, Default)]
pub struct KeyRing(Arc<RwLock<Option<Arc<KeySet>>>>);

impl KeyRing {
    fn cached(&self) -> Option<Arc<KeySet>> {
        self.0.read().ok().and_then(|g| g.clone())
    }

    fn store(&self, set: Arc<KeySet>) {
        if let Ok(mut g) = self.0.write() {
            *g = Some(set);
        }
    }
}

fn generate_pkcs8() -> Result<Vec<u8>> {
    let pair = KeyPair::generate(KeySize::Rsa2048)
        .map_err(|_| Error::Internal("RSA key generation failed".into()))?;
    let der: Pkcs8V1Der = pair
        .as_der()
        .map_err(|_| Error::Internal("RSA key encoding failed".into()))?;
    Ok(der.as_ref().to_vec())
}

/// Generation takes tens of milliseconds: keep it off the async workers.
async fn generate_pkcs8_blocking() -> Result<Vec<u8>> {
    tokio::task::spawn_blocking(generate_pkcs8)
        .await
        .map_err(|e| Error::Internal(format!("key generation task: {e}")))?
}

impl Engine {
    /// The key set, from the cache while it is fresh. Creates the first key on an empty database.
    pub async fn keys(&self, now: Timestamp) -> Result<Arc<KeySet>> {
        if let Some(set) = self.keys.cached() {
            if now.0 - set.loaded_at.0 < RELOAD_AFTER_SECS && set.current().is_some() {
                return Ok(set);
            }
        }
        self.reload_keys(now).await
    }

    /// The key with `kid`, reloading once if this node has not seen it (another node rotated).
    pub(crate) async fn key_by_id(
        &self,
        kid: &str,
        now: Timestamp,
    ) -> Result<Option<Arc<SigningKey>>> {
        let set = self.keys(now).await?;
        if let Some(k) = set.find(kid) {
            return Ok(Some(k.clone()));
        }
        // Reload at most once per second on unknown ids, so garbage `kid`s cannot hammer the database.
        if now.0 > set.loaded_at.0 {
            let set = self.reload_keys(now).await?;
            return Ok(set.find(kid).cloned());
        }
        Ok(None)
    }

    async fn reload_keys(&self, now: Timestamp) -> Result<Arc<KeySet>> {
        let mut rows = self.load_key_rows(now).await?;
        if rows.iter().all(|(_, _, retired)| retired.is_some()) {
            self.insert_first_key(now).await?;
            rows = self.load_key_rows(now).await?;
        }
        let mut keys = Vec::with_capacity(rows.len());
        for (kid, der, retired) in rows {
            let der = STANDARD
                .decode(der)
                .map_err(|_| Error::Internal(format!("signing key {kid}: bad base64")))?;
            keys.push(Arc::new(SigningKey::from_pkcs8(
                kid,
                &der,
                retired.map(Timestamp),
            )?));
        }
        let set = Arc::new(KeySet {
            keys,
            loaded_at: now,
        });
        self.keys.store(set.clone());
        Ok(set)
    }

    /// Current key first, then keys retired recently enough that tokens they signed may be in date.
    async fn load_key_rows(&self, now: Timestamp) -> Result<Vec<(String, String, Option<i64>)>> {
        let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT kid, private_der, retired_at FROM signing_keys \
             WHERE retired_at IS NULL OR retired_at > $1 \
             ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, created_at DESC, kid",
        )
        .bind(now.0 - self.settings.key_retention_secs)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows)
    }

    /// First start: one key. A marker row makes concurrent first starts create exactly one.
    async fn insert_first_key(&self, now: Timestamp) -> Result<()> {
        let der = generate_pkcs8_blocking().await?;
        let mut tx = self.db.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO system_state (state_key, state_value) VALUES ('first_signing_key', $1) \
             ON CONFLICT (state_key) DO NOTHING",
        )
        .bind(now.0.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 1 {
            insert_key(&mut tx, &der, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Makes a new key current. The previous one stays in the JWKS and keeps verifying tokens for
    /// `key_retention_secs` (at least the longest token lifetime). Returns the new `kid`.
    pub async fn rotate_signing_key(&self, now: Timestamp) -> Result<String> {
        let der = generate_pkcs8_blocking().await?;
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL")
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        let kid = insert_key(&mut tx, &der, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent::success(
                "system",
                crate::audit::actions::ROTATE_SIGNING_KEY,
                &kid,
                json!({}),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        self.reload_keys(now).await?;
        Ok(kid)
    }
}

async fn insert_key(tx: &mut crate::db::Tx, der: &[u8], now: Timestamp) -> Result<String> {
    let kid = uuid::Uuid::new_v4().simple().to_string();
    sqlx::query("INSERT INTO signing_keys (kid, private_der, created_at, retired_at) VALUES ($1, $2, $3, NULL)")
        .bind(&kid)
        .bind(STANDARD.encode(der))
        .bind(now.0)
        .execute(&mut **tx)
        .await?;
    Ok(kid)
}
