//! Users: the directory of people who sign in, managed by Console administrators and, for their
//! own profile, by themselves in My Account.

use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::ceiling::sensitive::{self, Sensitive};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{OrgId, UserId};
use crate::paging::{like_prefix, Page, PageRequest};
use crate::permissions::Permission;
use crate::validation::{self, Checks};
use crate::Engine;
use serde_json::json;

pub(crate) mod status;
pub use status::UserStatus;

#[derive(Clone, Debug)]
pub struct User {
    pub id: UserId,
    pub org_id: OrgId,
    pub username: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub status: UserStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Set by provisioning clients (SCIM `externalId`).
    pub external_id: Option<String>,
    /// The user's country, as they or an administrator wrote it; empty when unset.
    pub country: String,
    /// Whether a provisioning client called the address holding [`User::country`] the primary one
    /// (SCIM `addresses[].primary`); true unless one said otherwise.
    pub address_primary: bool,
    /// Raised by every change to the user (SCIM `meta.version`, the ETag): a client that read
    /// version n can ask for its change to apply only if nobody changed the user since.
    pub version: i64,
}

/// A client's precondition on the version of what it changes (SCIM `If-Match`, RFC 7644 §3.14).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IfMatch {
    /// No precondition (no header, or `*`: the user exists, which the change checks anyway).
    Any,
    /// One of these versions. An empty list (every tag unreadable) matches nothing.
    Versions(Vec<i64>),
}

impl IfMatch {
    pub(crate) fn admits(&self, version: i64) -> bool {
        match self {
            Self::Any => true,
            Self::Versions(v) => v.contains(&version),
        }
    }
}

/// What an administrator enters to add a user.
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub password: String,
}

/// The editable profile attributes.
pub struct ProfileChanges {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    /// Empty unsets it.
    pub country: String,
}

/// The largest page a list serves.
pub use crate::paging::PAGE_SIZE_MAX;

macro_rules! user_columns {
    () => {
        "id, org_id, username, email, given_name, family_name, status, created_at, updated_at, external_id, \
         country, address_primary, version"
    };
}

mod store;
pub(crate) use store::*;
pub mod overview;

/// A new user's fields after validation.
pub(crate) struct ValidNewUser {
    pub username: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub status: UserStatus,
    pub external_id: Option<String>,
    pub country: String,
    pub address_primary: bool,
}

pub(crate) fn validate_new_user(input: &NewUser) -> Result<ValidNewUser> {
    let mut checks = Checks::default();
    let username = checks.check("username", validation::username(&input.username));
    let profile = checks.absorb(validate_profile(&ProfileChanges {
        email: input.email.clone(),
        given_name: input.given_name.clone(),
        family_name: input.family_name.clone(),
        country: String::new(),
    }))?;
    checks.check("password", validation::new_password(&input.password));
    checks.finish()?;
    match (username, profile) {
        (Some(username), Some(p)) => Ok(ValidNewUser {
            username,
            email: p.email,
            given_name: p.given_name,
            family_name: p.family_name,
            status: UserStatus::Active,
            external_id: None,
            country: p.country,
            address_primary: true,
        }),
        _ => Err(Error::Internal("validation passed without values".into())),
    }
}

pub(crate) fn validate_profile(input: &ProfileChanges) -> Result<ProfileChanges> {
    let mut checks = Checks::default();
    let email = checks.check("email", validation::email(&input.email));
    let given_name = checks.check(
        "given_name",
        validation::person_name(&input.given_name, "first name"),
    );
    let family_name = checks.check(
        "family_name",
        validation::person_name(&input.family_name, "last name"),
    );
    let country = checks.check("country", validation::country(&input.country));
    checks.finish()?;
    match (email, given_name, family_name, country) {
        (Some(email), Some(given_name), Some(family_name), Some(country)) => Ok(ProfileChanges {
            email,
            given_name,
            family_name,
            country,
        }),
        _ => Err(Error::Internal("validation passed without values".into())),
    }
}

impl Engine {
    /// Lists users of the administrator's organization whose username or email starts with `search`.
    /// Needs `internal_user_mgt_list`.
    pub async fn list_users(
        &self,
        admin: &ConsoleAdmin,
        search: &str,
        page: u32,
        page_size: u32,
    ) -> Result<Page<User>> {
        admin.require(Permission::UserList)?;
        let request = PageRequest::new(page, page_size);
        let org = admin.org().as_str();
        let (limit, offset) = (request.limit(), request.offset());
        let mut conn = self.db.pool().acquire().await?;
        // Two statements rather than a `LIKE '%'`: without a search the count and the page come
        // straight from the (org_id, username_key) index.
        let (total, rows) = if search.trim().is_empty() {
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE org_id = $1")
                .bind(org)
                .fetch_one(&mut *conn)
                .await?;
            let rows = sqlx::query(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users WHERE org_id = $1 ORDER BY username_key LIMIT $2 OFFSET $3"
            ))
            .bind(org)
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?;
            (total, rows)
        } else {
            let pattern = like_prefix(search);
            let total: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE org_id = $1 \
                 AND (username_key LIKE $2 ESCAPE '\\' OR email_key LIKE $2 ESCAPE '\\')",
            )
            .bind(org)
            .bind(&pattern)
            .fetch_one(&mut *conn)
            .await?;
            let rows = sqlx::query(concat!(
                "SELECT ",
                user_columns!(),
                // The matches by either index first, then sorted: walking the username index in
                // order would scan every user when only the email matches.
                " FROM users WHERE id IN (\
                 SELECT id FROM users WHERE org_id = $1 AND username_key LIKE $2 ESCAPE '\\' \
                 UNION SELECT id FROM users WHERE org_id = $1 AND email_key LIKE $2 ESCAPE '\\') \
                 ORDER BY username_key LIMIT $3 OFFSET $4"
            ))
            .bind(org)
            .bind(&pattern)
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?;
            (total, rows)
        };
        let users = rows.iter().map(user_from_row).collect::<Result<Vec<_>>>()?;
        Ok(request.of(users, total))
    }

    /// One user of the administrator's organization. Needs `internal_user_mgt_view`.
    pub async fn get_user(&self, admin: &ConsoleAdmin, id: &UserId) -> Result<User> {
        admin.require(Permission::UserView)?;
        let mut tx = self.db.begin().await?;
        let user = get_by_id(&mut tx, admin.org(), id).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Adds a user to the administrator's organization. Needs `internal_user_mgt_create`.
    pub async fn create_user(
        &self,
        admin: &ConsoleAdmin,
        input: NewUser,
        now: Timestamp,
    ) -> Result<User> {
        admin.require(Permission::UserCreate)?;
        let valid = validate_new_user(&input)?;
        let hash = self.hasher.hash(&input.password).await?;
        let mut tx = self.db.begin().await?;
        let user = add(&mut tx, admin, &valid, &hash, now).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Changes a user's profile attributes. Needs `internal_user_mgt_update`, and the user within
    /// the administrator's ceiling.
    pub async fn update_user(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        changes: ProfileChanges,
        now: Timestamp,
    ) -> Result<User> {
        admin.require(Permission::UserUpdate)?;
        let changes = validate_profile(&changes)?;
        let org = admin.org();
        let mut tx = self.db.begin().await?;
        hold(&mut tx, org, id).await?;
        let user = get_by_id(&mut tx, org, id).await?;
        if !changes.email.eq_ignore_ascii_case(&user.email) {
            sensitive::ensure_allowed(admin.principal(), &user.id, &[Sensitive::Email])?;
        }
        ceiling::ensure(&mut tx, admin.principal(), &user.id, Operation::Identity).await?;
        apply_profile_changes(&mut tx, admin.principal(), &user, &changes, now).await?;
        let user = get_by_id(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Locks, disables or reactivates a user; unless reactivated, ends their sessions and revokes
    /// every grant of theirs (reactivating brings none back).
    /// Needs `internal_user_mgt_update`. Refuses to lock out the last administrator or oneself,
    /// and anyone above the administrator's ceiling.
    pub async fn set_user_status(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        status: UserStatus,
        now: Timestamp,
    ) -> Result<User> {
        admin.require(Permission::UserUpdate)?;
        let org = admin.org();
        let mut tx = self.db.begin().await?;
        hold(&mut tx, org, id).await?;
        let user = get_by_id(&mut tx, org, id).await?;
        ceiling::ensure(&mut tx, admin.principal(), &user.id, Operation::Status).await?;
        if status != UserStatus::Active {
            ensure_may_deactivate(&mut tx, admin, &user).await?;
            end_sessions(&mut tx, &user.id, now).await?;
        }
        sqlx::query(
            "UPDATE users SET status = $1, updated_at = $2, version = version + 1 WHERE id = $3",
        )
        .bind(status.as_str())
        .bind(now.0)
        .bind(user.id.as_str())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::CHANGE_USER_STATUS,
                user.id.as_str(),
                json!({ "from": user.status.as_str(), "to": status.as_str() }),
            ),
            now,
        )
        .await?;
        let user = get_by_id(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Deletes a user with their sessions, grants and role assignments. Needs `internal_user_mgt_delete`,
    /// and the user within the administrator's ceiling.
    pub async fn delete_user(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        now: Timestamp,
    ) -> Result<()> {
        self.delete_user_matching(admin, id, &IfMatch::Any, now)
            .await
    }

    /// [`Engine::delete_user`] when the user is still at a version `if_match` admits (SCIM DELETE
    /// with `If-Match`); `PreconditionFailed` otherwise.
    pub async fn delete_user_matching(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        if_match: &IfMatch,
        now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::UserDelete)?;
        let org = admin.org();
        let mut tx = self.db.begin().await?;
        hold(&mut tx, org, id).await?;
        let user = get_by_id(&mut tx, org, id).await?;
        if !if_match.admits(user.version) {
            return Err(Error::PreconditionFailed);
        }
        if user.id == admin.principal().user_id {
            return Err(Error::Refused("You cannot delete your own account."));
        }
        ceiling::ensure(&mut tx, admin.principal(), &user.id, Operation::Delete).await?;
        crate::access::ensure_not_last_administrator(&mut tx, org, &user.id).await?;
        // The rows would go with the user (foreign keys cascade); ending them first keeps one rule.
        end_sessions(&mut tx, &user.id, now).await?;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user.id.as_str())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::DELETE_USER,
                user.id.as_str(),
                json!({ "username": user.username }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
