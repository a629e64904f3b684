//! Password hashing with Argon2id. Hashing is deliberately slow, so it runs on a blocking thread.

use crate::error::{Error, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use std::sync::Arc;

/// Argon2id's cost: memory and passes (always one lane).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl PasswordCost {
    /// OWASP's minimum for Argon2id: 19 MiB, two passes. What Guise always stores.
    pub const PRODUCTION: Self = Self {
        memory_kib: 19_456,
        iterations: 2,
    };

    /// For test suites only, which hash thousands of passwords: Argon2's smallest cost. Nothing
    /// in the server's configuration can choose it.
    pub const TESTS: Self = Self {
        memory_kib: 8,
        iterations: 1,
    };
}

const PARALLELISM: u32 = 1;

/// Hashes and verifies passwords. Holds a dummy hash so that an unknown username costs the same
/// time as a known one.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    dummy_hash: Arc<str>,
}

/// The result of checking a password.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, but stored with older parameters: store this fresh hash.
    YesRehashed(String),
}

impl PasswordHasher {
    pub fn new(cost: PasswordCost) -> Result<Self> {
        let params = Params::new(cost.memory_kib, cost.iterations, PARALLELISM, None)
            .map_err(|e| Error::Internal(format!("argon2 params: {e}")))?;
        let dummy_hash = hash_with(&params, "guise-dummy-password-for-timing")?;
        Ok(Self {
            params,
            dummy_hash: dummy_hash.into(),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String> {
        let params = self.params.clone();
        let password = password.to_owned();
        blocking(move || hash_with(&params, &password)).await
    }

    /// Verifies `password` against `stored`, or against the dummy hash when there is no user,
    /// so both paths cost one Argon2 computation.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<Verified> {
        let params = self.params.clone();
        let password = password.to_owned();
        let (stored, real) = match stored {
            Some(s) => (s.to_owned(), true),
            None => (self.dummy_hash.to_string(), false),
        };
        blocking(move || {
            let parsed = PasswordHash::new(&stored)
                .map_err(|e| Error::Internal(format!("stored hash: {e}")))?;
            let ok = argon(&params)
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            if !(ok && real) {
                return Ok(Verified::No);
            }
            if is_current(&parsed, &params) {
                Ok(Verified::Yes)
            } else {
                Ok(Verified::YesRehashed(hash_with(&params, &password)?))
            }
        })
        .await
    }
}

fn argon(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

fn hash_with(params: &Params, password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Internal(format!("salt: {e}")))?;
    argon(params)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("argon2: {e}")))
}

fn is_current(hash: &PasswordHash<'_>, params: &Params) -> bool {
    if hash.algorithm.as_str() != "argon2id" {
        return false;
    }
    match Params::try_from(hash) {
        Ok(p) => {
            p.m_cost() == params.m_cost()
                && p.t_cost() == params.t_cost()
                && p.p_cost() == params.p_cost()
        }
        Err(_) => false,
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(format!("blocking task: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn old_parameters_are_upgraded_on_verify() {
        let hasher = PasswordHasher::new(PasswordCost::PRODUCTION).unwrap();
        let weak = Params::new(8, 1, 1, None).unwrap();
        let old = hash_with(&weak, "correct horse").unwrap();
        match hasher.verify("correct horse", Some(&old)).await.unwrap() {
            Verified::YesRehashed(fresh) => {
                assert!(fresh.contains("m=19456,t=2,p=1"), "{fresh}");
                assert_eq!(
                    hasher.verify("correct horse", Some(&fresh)).await.unwrap(),
                    Verified::Yes
                );
            }
            other => panic!("expected a rehash, got {other:?}"),
        }
        assert_eq!(
            hasher.verify("wrong", Some(&old)).await.unwrap(),
            Verified::No
        );
    }

    #[tokio::test]
    async fn no_user_never_verifies() {
        let hasher = PasswordHasher::new(PasswordCost::PRODUCTION).unwrap();
        assert_eq!(
            hasher
                .verify("guise-dummy-password-for-timing", None)
                .await
                .unwrap(),
            Verified::No
        );
    }
}
