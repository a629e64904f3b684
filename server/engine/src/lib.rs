//! Guise's engine: every rule of the identity server lives here, independent of any web framework.
//!
//! Callers establish who is acting (a [`Principal`]), pass the current time in, and call one
//! function. Every function returns a typed [`Error`]; nothing here panics on bad input.

pub mod access;
pub mod account;
pub mod administrators;
pub mod api_resources;
pub mod applications;
pub mod audit;
pub mod authorizations;
pub mod bootstrap;
pub mod ceiling;
pub mod clock;
pub mod db;
pub mod error;
pub mod factors;
pub mod figures;
pub mod health;
pub mod ids;
pub mod impersonation;
pub mod jwt;
pub mod keys;
pub mod migrations;
pub mod notifications;
pub mod oauth;
pub mod organizations;
pub mod paging;
pub mod passwords;
pub mod permissions;
pub mod principal;
pub mod provisioning;
pub mod roles;
pub mod secrets;
pub mod session_end;
pub mod sessions;
pub mod throttle;
pub mod users;
pub mod validation;

pub use access::ConsoleAdmin;
pub use clock::{Clock, SystemClock, Timestamp};
pub use db::Db;
pub use error::{Error, FieldError, Result};
pub use ids::{ApiResourceId, AppId, OrgId, RoleId, UserId};
pub use paging::{Page, PageRequest};
pub use principal::Principal;

pub use passwords::PasswordCost;
use passwords::PasswordHasher;

/// The engine: storage plus the password hasher. Cheap to clone (everything inside is shared).
#[derive(Clone)]
pub struct Engine {
    db: Db,
    hasher: PasswordHasher,
    settings: Settings,
    keys: keys::KeyRing,
}

/// Tunables that differ between production and tests.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long an SSO session lasts from sign-in, in seconds.
    pub session_lifetime_secs: i64,
    /// The public base URL (`https://id.example.com`): the issuer is this plus `/oauth2/token`.
    pub public_url: String,
    /// How long a retired signing key keeps verifying: at least the longest token lifetime.
    pub key_retention_secs: i64,
    /// The hard limit of one impersonation session, in seconds.
    pub impersonation_limit_secs: i64,
    /// What hashing a password costs; production's unless a test suite says otherwise.
    pub password_cost: PasswordCost,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_lifetime_secs: 12 * 3600,
            public_url: "http://127.0.0.1:3000".into(),
            key_retention_secs: 2 * 24 * 3600,
            impersonation_limit_secs: 3600,
            password_cost: PasswordCost::PRODUCTION,
        }
    }
}

impl Settings {
    /// The defaults with [`PasswordCost::TESTS`]: for test suites, never for a server.
    pub fn for_tests() -> Self {
        Self {
            password_cost: PasswordCost::TESTS,
            ..Self::default()
        }
    }
}

impl Engine {
    /// Connects to `database_url` (SQLite or PostgreSQL) and applies the embedded migrations.
    pub async fn open(database_url: &str, settings: Settings) -> Result<Self> {
        let db = Db::connect(database_url).await?;
        db.migrate().await?;
        audit::chain::seal_unchained(&db).await?;
        Ok(Self {
            db,
            hasher: PasswordHasher::new(settings.password_cost)?,
            settings,
            keys: keys::KeyRing::default(),
        })
    }

    /// The storage handle, for callers that need a transaction spanning several engine calls.
    pub fn db(&self) -> &Db {
        &self.db
    }
}
