//! Signing keys: RSA-2048, generated on first start and stored in the database, rotated on demand.
//!
//! Every node keeps the parsed keys in memory (parsing a private key costs more than signing with
//! it) and reloads them from the database when they may have changed: after a rotation here, on an
//! unknown `kid`, and at most [`RELOAD_AFTER_SECS`] after the last load (another node rotated).
//!
//! A rotation publishes before it signs. The new key is listed in the JWKS at once but signs only
//! [`PUBLISH_LEAD_SECS`] later, when the key it replaces retires: by then every node has reloaded
//! its cache and every client's cached JWKS has expired, so no token is ever signed with a key that
//! some node's (or some client's) JWKS does not list. Every node switches at the same moment by its
//! own clock, from what the database says, without talking to the others.

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

/// How long clients may cache the JWKS document (its `Cache-Control: max-age`).
pub const JWKS_MAX_AGE_SECS: i64 = 60;

/// How far the nodes' clocks may disagree, and then some.
const CLOCK_SKEW_MARGIN_SECS: i64 = 30;

/// From a rotation to the new key's first signature: long enough for every node to reload its key
/// set and for every JWKS a client cached before the rotation to expire.
pub const PUBLISH_LEAD_SECS: i64 = RELOAD_AFTER_SECS + JWKS_MAX_AGE_SECS + CLOCK_SKEW_MARGIN_SECS;

/// A key that verifies tokens; while it is current it also signs.
pub struct SigningKey {
    pub kid: String,
    /// base64url SHA-1 of the DER public key: `x5t` in headers and the JWKS.
    pub x5t: String,
    n: String,
    e: String,
    pair: KeyPair,
    pub(crate) decoding: DecodingKey,
    /// When it starts signing (published from its creation).
    pub signs_from: Timestamp,
    /// When it stops signing; it still verifies for the retention time after.
    pub retired_at: Option<Timestamp>,
}

impl SigningKey {
    fn from_pkcs8(kid: String, der: &[u8], life: KeyLife) -> Result<Self> {
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
            signs_from: life.signs_from,
            retired_at: life.retired_at,
        })
    }

    /// Whether it is the key that signs at `now`.
    fn signs_at(&self, now: Timestamp) -> bool {
        self.signs_from.0 <= now.0 && self.retired_at.is_none_or(|r| now.0 < r.0)
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

/// When a key signs.
struct KeyLife {
    signs_from: Timestamp,
    retired_at: Option<Timestamp>,
}

/// The keys a node currently knows, newest first: a published key that does not sign yet, the
/// signing key, and retired keys still trusted.
pub struct KeySet {
    pub keys: Vec<Arc<SigningKey>>,
    loaded_at: Timestamp,
}

impl KeySet {
    /// The key that signs at `now`. A rotation retires the old key at the moment the new one
    /// starts, so there is exactly one.
    pub fn current(&self, now: Timestamp) -> Option<&Arc<SigningKey>> {
        self.keys.iter().find(|k| k.signs_at(now))
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
            if now.0 - set.loaded_at.0 < RELOAD_AFTER_SECS && set.current(now).is_some() {
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
        if rows.iter().all(|row| row.life.retired_at.is_some()) {
            self.insert_first_key(now).await?;
            rows = self.load_key_rows(now).await?;
        }
        let mut keys = Vec::with_capacity(rows.len());
        for row in rows {
            let der = STANDARD
                .decode(row.private_der)
                .map_err(|_| Error::Internal(format!("signing key {}: bad base64", row.kid)))?;
            keys.push(Arc::new(SigningKey::from_pkcs8(row.kid, &der, row.life)?));
        }
        let set = Arc::new(KeySet {
            keys,
            loaded_at: now,
        });
        self.keys.store(set.clone());
        Ok(set)
    }

    /// Newest first: keys not retired, and keys retired recently enough that tokens they signed may
    /// be in date.
    async fn load_key_rows(&self, now: Timestamp) -> Result<Vec<KeyRow>> {
        let rows: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT kid, private_der, signs_from, retired_at FROM signing_keys \
             WHERE retired_at IS NULL OR retired_at > $1 \
             ORDER BY signs_from DESC, created_at DESC, kid",
        )
        .bind(now.0 - self.settings.key_retention_secs)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kid, private_der, signs_from, retired_at)| KeyRow {
                kid,
                private_der,
                life: KeyLife {
                    signs_from: Timestamp(signs_from),
                    retired_at: retired_at.map(Timestamp),
                },
            })
            .collect())
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
            // Nobody has cached a key set yet: it signs at once.
            insert_key(&mut tx, &der, now, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a new key now and makes it the signing key [`PUBLISH_LEAD_SECS`] later, when
    /// every key not yet retired (the current one, and one a rotation moments ago published)
    /// retires. Retired keys stay in the JWKS and keep verifying tokens for `key_retention_secs`
    /// (at least the longest token lifetime).
    pub async fn rotate_signing_key(&self, now: Timestamp) -> Result<Rotation> {
        let der = generate_pkcs8_blocking().await?;
        let signs_from = Timestamp(now.0 + PUBLISH_LEAD_SECS);
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL")
            .bind(signs_from.0)
            .execute(&mut *tx)
            .await?;
        let kid = insert_key(&mut tx, &der, now, signs_from).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent::success(
                "system",
                crate::audit::actions::ROTATE_SIGNING_KEY,
                &kid,
                json!({ "signs_from": signs_from.0 }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        self.reload_keys(now).await?;
        Ok(Rotation { kid, signs_from })
    }
}

/// What a rotation did: the key it published, and when that key starts signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    pub kid: String,
    pub signs_from: Timestamp,
}

struct KeyRow {
    kid: String,
    private_der: String,
    life: KeyLife,
}

async fn insert_key(
    tx: &mut crate::db::Tx,
    der: &[u8],
    now: Timestamp,
    signs_from: Timestamp,
) -> Result<String> {
    let kid = uuid::Uuid::new_v4().simple().to_string();
    sqlx::query(
        "INSERT INTO signing_keys (kid, private_der, created_at, signs_from, retired_at) \
         VALUES ($1, $2, $3, $4, NULL)",
    )
    .bind(&kid)
    .bind(STANDARD.encode(der))
    .bind(now.0)
    .bind(signs_from.0)
    .execute(&mut **tx)
    .await?;
    Ok(kid)
}
