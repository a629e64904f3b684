//! Provisioning: the operations SCIM 2.0 clients use. The same users, validation, permission
//! scopes and audit as the Console, with what provisioning adds: an `externalId`, the `active`
//! flag set directly, an optional password, whole-resource replacement and exact-match filters.

use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, mask, AuditEvent};
use crate::ceiling::sensitive::{self, Sensitive};
use crate::ceiling::{self, Operation};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{OrgId, UserId};
use crate::oauth::bearer::BearerAccess;
use crate::permissions::scopes;
use crate::permissions::Permission;
use crate::secrets::Secret;
use crate::users::{self, IfMatch, NewUser, ProfileChanges, User, UserStatus};
use crate::validation::{self, Checks, Problem};
use crate::Engine;
use serde_json::json;

/// A user as a provisioning client states it, whole.
#[derive(Clone, Debug)]
pub struct ProvisionedUser {
    pub username: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    /// Empty when the client states none.
    pub country: String,
    /// What the client said of the address holding the country (SCIM `primary`).
    pub address_primary: bool,
    pub active: bool,
    pub external_id: Option<String>,
    /// Absent on create: the user gets an unusable random password (they sign in after a reset).
    /// Absent on replace: the password is kept.
    pub password: Option<String>,
}

/// The exact-match filters provisioning clients use to find users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserFilter {
    All,
    /// Case-insensitive, as usernames are.
    UserName(String),
    /// Case-insensitive.
    Email(String),
    ExternalId(String),
    Id(String),
}

pub const EXTERNAL_ID_MAX: usize = 256;

fn external_id(raw: &Option<String>) -> std::result::Result<Option<String>, Problem> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > EXTERNAL_ID_MAX => Err(Problem::too_long(format!(
            "An external id has at most {EXTERNAL_ID_MAX} printable characters."
        ))),
        Some(v) if v.chars().any(char::is_control) => Err(format!(
            "An external id has at most {EXTERNAL_ID_MAX} printable characters."
        )
        .into()),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

fn status_of(active: bool) -> UserStatus {
    if active {
        UserStatus::Active
    } else {
        UserStatus::Disabled
    }
}

impl Engine {
    /// The administrator a bearer caller is at a user-management endpoint: at the organization
    /// SCIM endpoint (`organization_endpoint`) an organization token's user, otherwise the token's
    /// user ([`Engine::org_admin_from_bearer`], [`Engine::admin_from_bearer`]); under an
    /// organization's path (`path_org`), only with a token of that organization.
    pub async fn bearer_admin(
        &self,
        access: &BearerAccess,
        organization_endpoint: bool,
        path_org: Option<&OrgId>,
    ) -> Result<ConsoleAdmin> {
        let admin = if organization_endpoint {
            self.org_admin_from_bearer(access).await?
        } else {
            self.admin_from_bearer(access).await?
        };
        admin.ensure_addressed_to(path_org)?;
        Ok(admin)
    }

    /// The capability of a bearer access token issued for a user: that user, with the token's
    /// user-management scopes (never more than the token carries).
    pub async fn admin_from_bearer(&self, access: &BearerAccess) -> Result<ConsoleAdmin> {
        let principal = self.principal_from_bearer(access)?;
        let granted = access
            .scope
            .iter()
            .filter(|s| scopes::CONSOLE_ADMINISTRATOR.contains(s))
            .map(str::to_owned)
            .collect();
        Ok(ConsoleAdmin::new(principal, granted))
    }

    /// The capability of a bearer token at the organization SCIM endpoint (`/o/scim2/Users`): a
    /// token switched into a child organization (`organization_switch`), whose
    /// `internal_org_user_mgt_*` scopes manage that organization's users and no other's. A token of
    /// the root organization is refused there: its users are managed at `/scim2/Users`.
    pub async fn org_admin_from_bearer(&self, access: &BearerAccess) -> Result<ConsoleAdmin> {
        let principal = self.principal_from_bearer(access)?;
        let root = self.root_org().await?;
        if principal.org_id() == &root {
            return Err(Error::Forbidden("an organization's token"));
        }
        let granted = access
            .scope
            .iter()
            .filter_map(|s| {
                scopes::ORGANIZATION_EQUIVALENTS
                    .iter()
                    .find(|(org_scope, _)| org_scope == &s)
                    .map(|(_, scope)| (*scope).to_owned())
            })
            .collect();
        Ok(ConsoleAdmin::new(principal, granted))
    }

    /// Users matching `filter`, from the 1-based `start_index`, at most `count`; with the total.
    /// Needs `internal_user_mgt_list`.
    pub async fn find_users(
        &self,
        admin: &ConsoleAdmin,
        filter: &UserFilter,
        start_index: u64,
        count: u32,
    ) -> Result<(Vec<User>, i64)> {
        admin.require(Permission::UserList)?;
        let org = admin.org().as_str();
        let (condition, value) = match filter {
            UserFilter::All => ("", String::new()),
            UserFilter::UserName(v) => (" AND username_key = $2", validation::username_key(v)),
            UserFilter::Email(v) => (" AND email_key = $2", v.trim().to_lowercase()),
            UserFilter::ExternalId(v) => (" AND external_id = $2", v.clone()),
            UserFilter::Id(v) => (" AND id = $2", v.clone()),
        };
        let offset = i64::try_from(start_index.max(1) - 1).unwrap_or(i64::MAX);
        let limit = i64::from(count.min(users::PAGE_SIZE_MAX));
        let has_value = !condition.is_empty();
        let (limit_at, offset_at) = if has_value { (3, 4) } else { (2, 3) };
        let count_sql = format!("SELECT COUNT(*) FROM users WHERE org_id = $1{condition}");
        let page_sql = format!(
            "SELECT {} FROM users WHERE org_id = $1{condition} ORDER BY username_key LIMIT ${limit_at} OFFSET ${offset_at}",
            users::COLUMNS
        );
        let mut total = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql)).bind(org);
        let mut page = sqlx::query(sqlx::AssertSqlSafe(page_sql)).bind(org);
        if has_value {
            total = total.bind(value.clone());
            page = page.bind(value);
        }
        let total = total.fetch_one(self.db.pool()).await?;
        let rows = if limit == 0 {
            Vec::new()
        } else {
            page.bind(limit)
                .bind(offset)
                .fetch_all(self.db.pool())
                .await?
        };
        let users = rows
            .iter()
            .map(users::user_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok((users, total))
    }

    /// Creates a user as a provisioning client states it. Needs `internal_user_mgt_create`.
    pub async fn provision_user(
        &self,
        admin: &ConsoleAdmin,
        input: ProvisionedUser,
        now: Timestamp,
    ) -> Result<User> {
        admin.require(Permission::UserCreate)?;
        let password = input
            .password
            .clone()
            .unwrap_or_else(|| Secret::generate().expose().to_owned());
        let mut checks = Checks::default();
        let valid = checks.absorb(users::validate_new_user(&NewUser {
            username: input.username.clone(),
            email: input.email.clone(),
            given_name: input.given_name.clone(),
            family_name: input.family_name.clone(),
            password: password.clone(),
        }))?;
        let external = checks.check("external_id", external_id(&input.external_id));
        let country = checks.check("country", validation::country(&input.country));
        checks.finish()?;
        let (Some(mut valid), Some(external), Some(country)) = (valid, external, country) else {
            return Err(Error::Internal("validation passed without values".into()));
        };
        valid.status = status_of(input.active);
        valid.external_id = external;
        valid.country = country;
        valid.address_primary = input.address_primary;
        let hash = self.hasher.hash(&password).await?;
        let mut tx = self.db.begin().await?;
        let user = users::add(&mut tx, admin, &valid, &hash, now).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Replaces a user's attributes with `input` (SCIM PUT). See [`Engine::modify_user`].
    pub async fn replace_user(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        input: ProvisionedUser,
        if_match: &IfMatch,
        now: Timestamp,
    ) -> Result<User> {
        self.modify_user(admin, id, if_match, |_| Ok::<_, Error>(input), now)
            .await
    }

    /// Reads a user, lets `change` state the replacement (SCIM PATCH applies its operations to
    /// what it is given), and stores it, all in one transaction that holds the user's row from
    /// the first statement: two concurrent PATCHes take turns, and the second works on what the
    /// first stored (no lost update). `if_match` is the client's precondition on the version.
    /// Needs `internal_user_mgt_update`, and the user within the administrator's ceiling.
    /// Deactivating follows the same rules as the Console: never oneself, never the last
    /// administrator.
    pub async fn modify_user<E: From<Error>>(
        &self,
        admin: &ConsoleAdmin,
        id: &UserId,
        if_match: &IfMatch,
        change: impl FnOnce(&User) -> std::result::Result<ProvisionedUser, E>,
        now: Timestamp,
    ) -> std::result::Result<User, E> {
        admin.require(Permission::UserUpdate)?;
        let org = admin.org();
        let mut tx = self.db.begin().await?;
        // Held from the first statement: the read below is the state the write replaces.
        users::hold(&mut tx, org, id).await?;
        let user = users::get_by_id(&mut tx, org, id).await?;
        if !if_match.admits(user.version) {
            return Err(Error::PreconditionFailed.into());
        }
        let input = change(&user)?;
        let stored = self
            .store_replacement(&mut tx, admin, &user, input, now)
            .await?;
        tx.commit().await.map_err(Error::from)?;
        Ok(stored)
    }

    /// Validates and writes the replacement of `user` in the caller's transaction.
    async fn store_replacement(
        &self,
        tx: &mut crate::db::Tx,
        admin: &ConsoleAdmin,
        user: &User,
        input: ProvisionedUser,
        now: Timestamp,
    ) -> Result<User> {
        let mut checks = Checks::default();
        let username = checks.check("username", validation::username(&input.username));
        let profile = checks.absorb(users::validate_profile(&ProfileChanges {
            email: input.email.clone(),
            given_name: input.given_name.clone(),
            family_name: input.family_name.clone(),
            country: input.country.clone(),
        }))?;
        let external = checks.check("external_id", external_id(&input.external_id));
        if let Some(p) = &input.password {
            checks.check("password", validation::new_password(p));
        }
        checks.finish()?;
        let (Some(username), Some(profile), Some(external)) = (username, profile, external) else {
            return Err(Error::Internal("validation passed without values".into()));
        };
        let status = status_of(input.active);
        let operation = if input.password.is_some() {
            Operation::Credentials
        } else if status != user.status {
            Operation::Status
        } else {
            Operation::Identity
        };
        let mut sensitive = Vec::new();
        if input.password.is_some() {
            sensitive.push(Sensitive::Credentials);
        }
        if !profile.email.eq_ignore_ascii_case(&user.email) {
            sensitive.push(Sensitive::Email);
        }
        if username != user.username {
            sensitive.push(Sensitive::Username);
        }
        if external != user.external_id {
            sensitive.push(Sensitive::ExternalId);
        }
        if status != user.status {
            sensitive.push(Sensitive::Status);
        }
        sensitive::ensure_allowed(admin.principal(), &user.id, &sensitive)?;
        ceiling::ensure(tx, admin.principal(), &user.id, operation).await?;
        // Hashed while the row is held: the password is only known once `change` has run.
        let hash = match &input.password {
            Some(p) => Some(self.hasher.hash(p).await?),
            None => None,
        };
        let org = admin.org();
        let id = &user.id;
        if status != UserStatus::Active && user.status == UserStatus::Active {
            users::ensure_may_deactivate(tx, admin, user).await?;
        }
        if status != UserStatus::Active || hash.is_some() {
            users::end_sessions(tx, &user.id, now).await?;
        }
        sqlx::query(
            "UPDATE users SET username = $1, username_key = $2, external_id = $3, status = $4, updated_at = $5, \
             password_hash = COALESCE($6, password_hash), address_primary = $7, version = version + 1 \
             WHERE id = $8",
        )
        .bind(&username)
        .bind(validation::username_key(&username))
        .bind(external.as_deref())
        .bind(status.as_str())
        .bind(now.0)
        .bind(hash.as_deref())
        .bind(i64::from(input.address_primary))
        .bind(user.id.as_str())
        .execute(&mut **tx)
        .await
        .map_err(crate::error::conflict_on("username", "This username is already taken."))?;
        users::apply_profile_changes(tx, admin.principal(), user, &profile, now).await?;
        let mut changed = serde_json::Map::new();
        if username != user.username {
            changed.insert("username".into(), json!(mask(&username)));
        }
        if status != user.status {
            changed.insert("status".into(), json!(status.as_str()));
        }
        if external != user.external_id {
            changed.insert("externalId".into(), json!(external.as_deref().map(mask)));
        }
        if hash.is_some() {
            changed.insert("password".into(), json!("changed"));
        }
        if input.address_primary != user.address_primary {
            changed.insert("addressPrimary".into(), json!(input.address_primary));
        }
        if !changed.is_empty() {
            audit::record(
                tx,
                AuditEvent::by_admin(
                    admin,
                    actions::SET_USER_CLAIM_VALUES,
                    user.id.as_str(),
                    json!({ "Claims": changed }),
                ),
                now,
            )
            .await?;
        }
        users::get_by_id(tx, org, id).await
    }
}
