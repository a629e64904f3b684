//! The privilege ceiling: the one place that decides whether an actor may change another user
//! (credentials, status, roles, identity, existence) or, later, become them (impersonation).
//!
//! The rule: the actor must hold, for the audience in question, every one of Guise's own (system)
//! scopes the target holds. A token's scope says which *operation* a caller may perform; the
//! ceiling says on *whom*. Without it, anyone allowed to update users could reset an
//! administrator's password and sign in as them.
//!
//! Holding a scope means holding it for an audience: a role carries it, and the role's audience
//! is the organization (every application) or one application. A scope held for a business
//! application is a power in that application only; it never stands for the Console's.
//! Scopes of the organization's own business APIs are not Guise's privileges and are left out
//! (any administrator may grant them; see [`crate::access`]).

use crate::api_resources::system::SYSTEM_RESOURCES;
use crate::error::{Error, Result};
use crate::ids::{OrgId, UserId};
use crate::permissions::ORGANIZATION_AUDIENCE;
use crate::principal::Principal;
use crate::Engine;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) mod administering;
pub mod impersonation;
pub mod refusals;
pub mod sensitive;

use impersonation::Refusal;

/// What an actor means to do to a target user. Every kind is bounded by the same ceiling; the
/// kind names the decision in errors and lets a kind carry rules of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Username, names, email, external id.
    Identity,
    /// The password.
    Credentials,
    /// Lock, disable, reactivate.
    Status,
    /// Which roles the user holds, or what those roles grant.
    Roles,
    /// Delete the user.
    Delete,
    /// Act as the user (impersonation): the actor would wield everything the target holds.
    Impersonate,
}

/// Guise's own scopes (the root organization's system model), each with its home: the system application it belongs
/// to (the Console for management scopes, My Account for impersonation), if any.
pub(crate) struct SystemScopes {
    home: BTreeMap<String, Option<String>>,
}

impl SystemScopes {
    /// The system model is the root organization's: the system applications and Guise's own API
    /// resources live there, and every organization below uses them (a child organization's
    /// Administrator role carries the same Console scopes).
    pub(crate) async fn load(conn: &mut AnyConnection) -> Result<Self> {
        let apps: BTreeMap<String, String> = sqlx::query(
            "SELECT a.id, a.system_kind FROM applications a \
             JOIN organizations o ON o.id = a.org_id AND o.parent_id IS NULL \
             WHERE a.system_kind IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| -> Result<(String, String)> { Ok((r.try_get("system_kind")?, r.try_get("id")?)) })
        .collect::<Result<_>>()?;
        let rows = sqlx::query(
            "SELECT s.name, r.system_key FROM api_scopes s JOIN api_resources r ON r.id = s.resource_id \
             JOIN organizations o ON o.id = r.org_id AND o.parent_id IS NULL \
             WHERE r.system_key IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut home = BTreeMap::new();
        for row in rows {
            let name: String = row.try_get("name")?;
            let key: String = row.try_get("system_key")?;
            let app = SYSTEM_RESOURCES
                .iter()
                .find(|r| r.key == key)
                .and_then(|r| r.authorized_for)
                .and_then(|kind| apps.get(kind).cloned());
            home.insert(name, app);
        }
        Ok(Self { home })
    }

    pub(crate) fn contains(&self, scope: &str) -> bool {
        self.home.contains_key(scope)
    }

    /// The audiences whose holding of `scope` counts as holding it for `audience`: the
    /// organization (it covers every application), the scope's home application (where the
    /// power it names is exercised, and from where an administrator delegates it), and the
    /// audience itself.
    fn counting_audiences<'a>(&'a self, scope: &str, audience: &'a str) -> Vec<&'a str> {
        let mut audiences = vec![ORGANIZATION_AUDIENCE, audience];
        if let Some(Some(home)) = self.home.get(scope) {
            audiences.push(home.as_str());
        }
        audiences
    }
}

/// The system scopes one user holds, as `(audience_key, scope)` pairs.
pub(crate) struct Holdings(BTreeSet<(String, String)>);

impl Holdings {
    pub(crate) async fn load(
        conn: &mut AnyConnection,
        org: &OrgId,
        user: &UserId,
        system: &SystemScopes,
    ) -> Result<Self> {
        let rows = sqlx::query(
            "SELECT DISTINCT r.audience_key, rp.scope FROM role_assignments ra \
             JOIN roles r ON r.id = ra.role_id JOIN role_permissions rp ON rp.role_id = r.id \
             WHERE ra.user_id = $1 AND r.org_id = $2",
        )
        .bind(user.as_str())
        .bind(org.as_str())
        .fetch_all(&mut *conn)
        .await?;
        Self::from_rows(rows, system)
    }

    /// What `user` holds in every organization: their home's roles and those of the
    /// organizations they are invited into. A target is measured by all of it, so that nobody
    /// reaches an invited parent administrator through the child organization's Console.
    pub(crate) async fn load_everywhere(
        conn: &mut AnyConnection,
        user: &UserId,
        system: &SystemScopes,
    ) -> Result<Self> {
        let rows = sqlx::query(
            "SELECT DISTINCT r.audience_key, rp.scope FROM role_assignments ra \
             JOIN roles r ON r.id = ra.role_id JOIN role_permissions rp ON rp.role_id = r.id \
             WHERE ra.user_id = $1",
        )
        .bind(user.as_str())
        .fetch_all(&mut *conn)
        .await?;
        Self::from_rows(rows, system)
    }

    fn from_rows(rows: Vec<sqlx::any::AnyRow>, system: &SystemScopes) -> Result<Self> {
        let mut held = BTreeSet::new();
        for row in rows {
            let audience: String = row.try_get("audience_key")?;
            let scope: String = row.try_get("scope")?;
            if system.contains(&scope) {
                held.insert((audience, scope));
            }
        }
        Ok(Self(held))
    }

    /// Whether this user holds `scope` for `audience` (see [`SystemScopes::counting_audiences`]).
    pub(crate) fn holds_for(&self, system: &SystemScopes, scope: &str, audience: &str) -> bool {
        system
            .counting_audiences(scope, audience)
            .into_iter()
            .any(|a| self.0.contains(&(a.to_owned(), scope.to_owned())))
    }

    /// Whether this user holds any of `scopes`, for any audience.
    pub(crate) fn holds_any(&self, scopes: &[&str]) -> bool {
        self.0.iter().any(|(_, s)| scopes.contains(&s.as_str()))
    }

    /// What `target` holds that this user does not hold for the same audience.
    fn missing<'a>(&self, system: &SystemScopes, target: &'a Holdings) -> Vec<&'a str> {
        target
            .0
            .iter()
            .filter(|(audience, scope)| !self.holds_for(system, scope, audience))
            .map(|(_, scope)| scope.as_str())
            .collect()
    }
}

/// The ceiling, decided inside the caller's transaction (so the holdings it reads are the ones
/// the change is made against). `actor` is the principal's acting user: under impersonation,
/// the real actor's privileges bound what may be done, never the subject's.
pub(crate) async fn ensure(
    conn: &mut AnyConnection,
    actor: &Principal,
    target: &UserId,
    operation: Operation,
) -> Result<()> {
    ensure_each(conn, actor, &[target], operation).await
}

/// [`ensure`] for every one of `targets` (a role's members, say): what the organization's system
/// scopes are and what the actor holds are read once, not once per target.
pub(crate) async fn ensure_each(
    conn: &mut AnyConnection,
    actor: &Principal,
    targets: &[&UserId],
    operation: Operation,
) -> Result<()> {
    let sensitive = match operation {
        Operation::Credentials => &[
            sensitive::Sensitive::Credentials,
            sensitive::Sensitive::SecondFactors,
        ][..],
        Operation::Delete => &[sensitive::Sensitive::Deletion][..],
        Operation::Status => &[sensitive::Sensitive::Status][..],
        _ => &[][..],
    };
    for target in targets {
        sensitive::ensure_allowed(actor, target, sensitive)?;
    }
    if actor.actor().is_some() && operation == Operation::Impersonate {
        return Err(Refusal::Chaining.into());
    }
    ensure_for(
        conn,
        actor.acting_user(),
        actor.org_id(),
        targets,
        operation,
    )
    .await
}

/// [`ensure_each`] for an actor named by id, in organization `org`.
pub(crate) async fn ensure_for(
    conn: &mut AnyConnection,
    acting: &UserId,
    org: &OrgId,
    targets: &[&UserId],
    operation: Operation,
) -> Result<()> {
    // Read on the first target that holds anything, then kept.
    let mut known: Option<(SystemScopes, Holdings)> = None;
    for &target in targets {
        if operation == Operation::Impersonate && acting == target {
            return Err(Error::Refused("You cannot impersonate yourself."));
        }
        if acting == target {
            // Nobody outranks themself: self-service never needs more than one holds.
            continue;
        }
        let (system, mine) = match known {
            Some(ref read) => read,
            None => {
                let system = SystemScopes::load(conn).await?;
                let mine = Holdings::load(conn, org, acting, &system).await?;
                known.insert((system, mine))
            }
        };
        let theirs = Holdings::load_everywhere(conn, target, system).await?;
        let missing = mine.missing(system, &theirs);
        if !missing.is_empty() {
            tracing::info!(
                actor = %acting, target = %target, ?operation, ?missing,
                "refused by the privilege ceiling"
            );
            return Err(Error::AboveCeiling);
        }
    }
    Ok(())
}

/// Taking system scopes away from one audience's roles (removing an application's authorization
/// for them, deleting the application) changes what those roles' holders hold, like editing the
/// roles does: each holder must be within `actor`'s ceiling. `taken` names the scopes taken away;
/// `None` takes all of them.
pub(crate) async fn ensure_over_role_holders(
    conn: &mut AnyConnection,
    actor: &Principal,
    audience: &str,
    taken: Option<&[&str]>,
) -> Result<()> {
    let system = SystemScopes::load(conn).await?;
    let held: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT ra.user_id, rp.scope FROM role_assignments ra \
         JOIN roles r ON r.id = ra.role_id JOIN role_permissions rp ON rp.role_id = r.id \
         WHERE r.audience_key = $1",
    )
    .bind(audience)
    .fetch_all(&mut *conn)
    .await?;
    let holders: BTreeSet<String> = held
        .into_iter()
        .filter(|(_, scope)| {
            system.contains(scope) && taken.is_none_or(|t| t.contains(&scope.as_str()))
        })
        .map(|(user, _)| user)
        .collect();
    let holders: Vec<UserId> = holders.into_iter().map(UserId::from_db).collect();
    let holders: Vec<&UserId> = holders.iter().collect();
    ensure_each(conn, actor, &holders, Operation::Roles).await
}

impl Engine {
    /// Whether `actor` may perform `operation` on the user `target`: the privilege ceiling every
    /// write path on users calls (Console, SCIM, My Account, role assignment, administrators).
    /// `Ok(())` when allowed, [`Error::AboveCeiling`] when the target holds system scopes the
    /// actor does not hold for the same audience.
    pub async fn can_act_on(
        &self,
        actor: &Principal,
        target: &UserId,
        operation: Operation,
    ) -> Result<()> {
        let mut conn = self.db.pool().acquire().await?;
        ensure(&mut conn, actor, target, operation).await
    }
}
