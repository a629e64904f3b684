//! Storage of users: reading rows, inserting, and the writes the Console, My Account and
//! provisioning share (each with its audit event, in the caller's transaction).

use super::{ProfileChanges, User, UserStatus, ValidNewUser};
use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, mask, AuditEvent};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::{conflict_on, Error, Result};
use crate::ids::{OrgId, UserId};
use crate::session_end::{self, Ending};
use crate::sessions::Principal;
use crate::validation;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The columns [`user_from_row`] reads, for queries built elsewhere.
pub(crate) const COLUMNS: &str = user_columns!();
/// The same from a table aliased `u` (for joins).
pub(crate) const PREFIXED_COLUMNS: &str =
    "u.id, u.org_id, u.username, u.email, u.given_name, u.family_name, \
    u.status, u.created_at, u.updated_at, u.external_id, u.country, u.address_primary, u.version";

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User> {
    let status: String = row.try_get("status")?;
    Ok(User {
        id: UserId::from_db(row.try_get("id")?),
        org_id: OrgId::from_db(row.try_get("org_id")?),
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        given_name: row.try_get("given_name")?,
        family_name: row.try_get("family_name")?,
        status: UserStatus::parse(&status)
            .ok_or_else(|| Error::Internal(format!("unknown status {status}")))?,
        created_at: Timestamp(row.try_get("created_at")?),
        updated_at: Timestamp(row.try_get("updated_at")?),
        external_id: row.try_get("external_id")?,
        country: row.try_get("country")?,
        address_primary: row.try_get::<i64, _>("address_primary")? != 0,
        version: row.try_get("version")?,
    })
}

pub(crate) async fn find_by_id(tx: &mut Tx, org: &OrgId, id: &UserId) -> Result<Option<User>> {
    find_in(tx, org, id).await
}

/// [`find_by_id`] on any connection (a transaction, or one taken from the pool).
pub(crate) async fn find_in(
    conn: &mut sqlx::AnyConnection,
    org: &OrgId,
    id: &UserId,
) -> Result<Option<User>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE org_id = $1 AND id = $2"
    ))
    .bind(org.as_str())
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// A user by id alone, wherever they are resident (token subjects carry no organization context).
pub(crate) async fn find_anywhere(pool: &sqlx::AnyPool, id: &str) -> Result<Option<User>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// Takes the user's row for the transaction with a write that changes nothing (PostgreSQL locks
/// the row; SQLite takes its one writer's lock), so what the transaction reads next is what its
/// write replaces: concurrent changes take turns instead of losing one. `NotFound` if missing.
pub(crate) async fn hold(tx: &mut Tx, org: &OrgId, id: &UserId) -> Result<()> {
    let found = sqlx::query("UPDATE users SET version = version WHERE org_id = $1 AND id = $2")
        .bind(org.as_str())
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if found == 0 {
        return Err(Error::NotFound("user"));
    }
    Ok(())
}

/// Like [`find_by_id`], but a missing user is `NotFound`.
pub(crate) async fn get_by_id(tx: &mut Tx, org: &OrgId, id: &UserId) -> Result<User> {
    find_by_id(tx, org, id)
        .await?
        .ok_or(Error::NotFound("user"))
}

/// Inserts a user whose fields are already validated and whose password is already hashed.
pub(crate) async fn insert(
    tx: &mut Tx,
    org: &OrgId,
    user: &ValidNewUser,
    password_hash: &str,
    now: Timestamp,
) -> Result<UserId> {
    let id = UserId::generate();
    sqlx::query(
        "INSERT INTO users (id, org_id, username, username_key, email, email_key, given_name, family_name, \
         status, external_id, country, address_primary, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
    )
    .bind(id.as_str())
    .bind(org.as_str())
    .bind(&user.username)
    .bind(validation::username_key(&user.username))
    .bind(&user.email)
    .bind(user.email.to_lowercase())
    .bind(&user.given_name)
    .bind(&user.family_name)
    .bind(user.status.as_str())
    .bind(user.external_id.as_deref())
    .bind(&user.country)
    .bind(i64::from(user.address_primary))
    .bind(password_hash)
    .bind(now.0)
    .execute(&mut **tx)
    .await
    .map_err(conflict_on("username", "This username is already taken."))?;
    Ok(id)
}

/// Inserts a validated user for `admin` and records the audit event; returns the stored user.
/// Shared by the Console and provisioning.
pub(crate) async fn add(
    tx: &mut Tx,
    admin: &ConsoleAdmin,
    valid: &ValidNewUser,
    password_hash: &str,
    now: Timestamp,
) -> Result<User> {
    let org = admin.org();
    let id = insert(tx, org, valid, password_hash, now).await?;
    // A new user holds nothing yet, so this passes; it stays on the path so that whatever
    // creation may later grant at once is bounded too.
    crate::ceiling::ensure(tx, admin.principal(), &id, crate::ceiling::Operation::Roles).await?;
    audit::record(
        tx,
        AuditEvent::by_admin(
            admin,
            actions::ADD_USER,
            id.as_str(),
            json!({ "username": valid.username }),
        ),
        now,
    )
    .await?;
    get_by_id(tx, org, &id).await
}

/// An administrator may lock or disable anyone but themselves and the last active administrator.
pub(crate) async fn ensure_may_deactivate(
    tx: &mut Tx,
    admin: &ConsoleAdmin,
    user: &User,
) -> Result<()> {
    if user.id == admin.principal().user_id {
        return Err(Error::Refused(
            "You cannot lock or disable your own account.",
        ));
    }
    crate::access::ensure_not_last_administrator(tx, admin.org(), &user.id).await
}

/// Signs the user out everywhere and revokes every grant of theirs, offline ones included: what a
/// password set for them, disabling, locking or deleting takes away (see [`crate::session_end`]).
pub(crate) async fn end_sessions(tx: &mut Tx, user: &UserId, now: Timestamp) -> Result<()> {
    let everything = Ending::User {
        user,
        keeping: None,
    };
    session_end::end(tx, everything, now).await?;
    Ok(())
}

/// Writes the profile columns and the audit event for what changed. Shared by the Console and My Account.
pub(crate) async fn apply_profile_changes(
    tx: &mut Tx,
    actor: &Principal,
    user: &User,
    changes: &ProfileChanges,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE users SET email = $1, email_key = $2, given_name = $3, family_name = $4, country = $5, \
         updated_at = $6, version = version + 1 WHERE id = $7",
    )
    .bind(&changes.email)
    .bind(changes.email.to_lowercase())
    .bind(&changes.given_name)
    .bind(&changes.family_name)
    .bind(&changes.country)
    .bind(now.0)
    .bind(user.id.as_str())
    .execute(&mut **tx)
    .await?;
    let mut claims = serde_json::Map::new();
    for (claim, old, new) in [
        ("emailaddress", &user.email, &changes.email),
        ("givenname", &user.given_name, &changes.given_name),
        ("lastname", &user.family_name, &changes.family_name),
        ("country", &user.country, &changes.country),
    ] {
        if old != new {
            claims.insert(claim.into(), json!(mask(new)));
        }
    }
    if !claims.is_empty() {
        audit::record(
            tx,
            AuditEvent::by(
                actor,
                actions::SET_USER_CLAIM_VALUES,
                user.id.as_str(),
                json!({ "Claims": claims }),
            ),
            now,
        )
        .await?;
    }
    Ok(())
}
