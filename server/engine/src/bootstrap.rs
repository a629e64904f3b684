//! First start: the root organization, the system applications, API resources and roles, and the
//! bootstrap administrator. Idempotent and safe when several nodes start at once.

use crate::access;
use crate::api_resources;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{AppId, OrgId};
use crate::permissions::{ADMINISTRATOR_ROLE, CONSOLE_APP, IMPERSONATOR_ROLE, MY_ACCOUNT_APP};
use crate::secrets::Secret;
use crate::users::{self, ValidNewUser};
use crate::{validation, Engine};
use serde_json::json;

/// Who the first administrator is.
pub struct BootstrapConfig {
    pub admin_username: String,
    /// When absent, a random password is generated and returned once.
    pub admin_password: Option<Secret>,
}

#[derive(Debug)]
pub enum BootstrapOutcome {
    Created {
        admin_username: String,
        generated_password: Option<Secret>,
    },
    AlreadyDone,
}

const ROOT_ORG_KEY: &str = "root_org";
const ROOT_ORG_HANDLE: &str = "root";

impl Engine {
    /// Creates the initial data on an empty database; on any later start, changes nothing.
    pub async fn bootstrap(
        &self,
        config: BootstrapConfig,
        now: Timestamp,
    ) -> Result<BootstrapOutcome> {
        let username = validation::username(&config.admin_username)
            .map_err(|m| Error::invalid("admin_username", m))?;
        let (password, generated) = match config.admin_password {
            Some(p) => (p, false),
            None => (Secret::generate(), true),
        };
        validation::new_password(password.expose())
            .map_err(|p| Error::invalid("admin_password", p.message))?;
        // Hash before the transaction: Argon2 is slow and the transaction should be short.
        let hash = self.hasher.hash(password.expose()).await?;

        let org = OrgId::generate();
        let mut tx = self.db.begin().await?;
        // The marker row is the lock: a second node's insert waits for the first to commit, then
        // conflicts and inserts nothing, so exactly one node creates the initial data.
        let claimed = sqlx::query(
            "INSERT INTO system_state (state_key, state_value) VALUES ($1, $2) ON CONFLICT (state_key) DO NOTHING",
        )
        .bind(ROOT_ORG_KEY)
        .bind(org.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            tx.rollback().await?;
            // A database from an older Guise gets what this version defines.
            let root = self.root_org().await?;
            let mut tx = self.db.begin().await?;
            api_resources::ensure_system_model(&mut tx, &root, now).await?;
            crate::organizations::system_roles::ensure_every_organizations_roles(&mut tx, now)
                .await?;
            tx.commit().await?;
            return Ok(BootstrapOutcome::AlreadyDone);
        }
        sqlx::query("INSERT INTO organizations (id, parent_id, handle, name, status, created_at) VALUES ($1, NULL, $2, $3, 'active', $4)")
            .bind(org.as_str())
            .bind(ROOT_ORG_HANDLE)
            .bind("Root")
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        let console = AppId::generate();
        for (id, name, client_id, kind) in [
            (&console, "Console", "CONSOLE", CONSOLE_APP),
            (
                &AppId::generate(),
                "My Account",
                "MY_ACCOUNT",
                MY_ACCOUNT_APP,
            ),
        ] {
            // Public clients of our own provider that the user never needs to approve.
            sqlx::query("INSERT INTO applications (id, org_id, name, client_id, system_kind, created_at, client_type, \
                 skip_login_consent, skip_logout_consent, access_token_lifetime, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'public', 1, 1, 900, $6)")
                .bind(id.as_str())
                .bind(org.as_str())
                .bind(name)
                .bind(client_id)
                .bind(kind)
                .bind(now.0)
                .execute(&mut *tx)
                .await?;
        }
        // The system API resources, the system applications' authorizations, and the
        // Administrator and Impersonator roles.
        api_resources::ensure_system_model(&mut tx, &org, now).await?;
        let admin = ValidNewUser {
            username: username.clone(),
            email: format!(
                "{}@localhost.localdomain",
                validation::username_key(&username).replace('@', ".")
            ),
            given_name: String::new(),
            family_name: String::new(),
            status: users::UserStatus::Active,
            external_id: None,
            country: String::new(),
            address_primary: true,
        };
        let admin_id = users::insert(&mut tx, &org, &admin, &hash, now).await?;
        // The first administrator owns the organization: they hold every system role, so that they
        // can hand each one on (nobody can grant what they do not hold).
        for role in [ADMINISTRATOR_ROLE, IMPERSONATOR_ROLE] {
            access::assign_system_role(&mut tx, &org, role, &admin_id).await?;
        }
        audit::record(
            &mut tx,
            AuditEvent::success(
                "system",
                actions::BOOTSTRAP,
                org.as_str(),
                json!({ "administrator": admin_id.as_str() }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(BootstrapOutcome::Created {
            admin_username: username,
            generated_password: generated.then_some(password),
        })
    }

    /// The root organization's id.
    pub async fn root_org(&self) -> Result<OrgId> {
        let id: Option<String> =
            sqlx::query_scalar("SELECT state_value FROM system_state WHERE state_key = $1")
                .bind(ROOT_ORG_KEY)
                .fetch_optional(self.db.pool())
                .await?;
        id.map(OrgId::from_db).ok_or(Error::Internal(
            "the database has not been bootstrapped".into(),
        ))
    }
}
