//! Who may do what. Console permissions come from roles whose audience is the Console application
//! (or the whole organization); a successful check hands back a [`ConsoleAdmin`] capability, the
//! only way to call an administrative engine function.

use crate::ceiling::{Holdings, SystemScopes};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::ids::{OrgId, UserId};
use crate::principal::Principal;
use crate::Engine;
use std::collections::BTreeSet;

pub use crate::permissions::{
    scopes, Permission, ADMINISTRATOR_ROLE, CONSOLE_APP, IMPERSONATOR_ROLE, MY_ACCOUNT_APP,
    ORGANIZATION_AUDIENCE,
};

/// Proof that the holder signed in and may use the Console, with the Console scopes they hold.
/// Only [`Engine::console_admin`] makes one.
#[derive(Clone, Debug)]
pub struct ConsoleAdmin {
    principal: Principal,
    scopes: BTreeSet<String>,
    /// The organization the Console acts in: the administrator's own, or one below it they
    /// switched to (**Switch** on Organization Management > Organizations).
    org: OrgId,
}

impl ConsoleAdmin {
    /// Only the engine decides who holds which scopes.
    pub(crate) fn new(principal: Principal, scopes: BTreeSet<String>) -> Self {
        Self {
            org: principal.org_id().clone(),
            principal,
            scopes,
        }
    }

    /// A request addressed to an organization by its path (`/o/{org-id}/…`, `/t/{handle}/…`) acts
    /// there only with a token of that organization: another organization's, the root's
    /// included, is refused, whatever it may do at home.
    pub fn ensure_addressed_to(&self, path_org: Option<&OrgId>) -> Result<()> {
        match path_org {
            Some(named) if named != self.org() => {
                Err(Error::Forbidden("a token of this organization"))
            }
            _ => Ok(()),
        }
    }

    /// The organization every Console action is scoped to.
    pub fn org(&self) -> &OrgId {
        &self.org
    }

    /// Whether the Console acts in an organization below the administrator's own.
    pub fn switched(&self) -> bool {
        &self.org != self.principal.org_id()
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn scopes(&self) -> &BTreeSet<String> {
        &self.scopes
    }

    /// Whether the administrator may do what `permission` names.
    pub fn has(&self, permission: Permission) -> bool {
        self.scopes.contains(permission.scope())
    }

    pub(crate) fn require(&self, permission: Permission) -> Result<()> {
        if self.has(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(permission.scope()))
        }
    }
}

impl Engine {
    /// Checks that `principal` may use the Console: the scopes come from the session's sign-in to
    /// the Console application (an OAuth grant), never from anything wider.
    pub async fn console_admin(&self, principal: &Principal) -> Result<ConsoleAdmin> {
        crate::ceiling::administering::ensure_may_administer(principal)?;
        let granted = self.portal_scope(principal, CONSOLE_APP).await?;
        let scopes: BTreeSet<String> = granted
            .iter()
            .filter(|s| scopes::CONSOLE_ADMINISTRATOR.contains(s))
            .map(str::to_owned)
            .collect();
        if scopes.is_empty() {
            return Err(Error::NotAdministrator);
        }
        let org = crate::organizations::acting::acting_org(&self.db, principal).await?;
        Ok(ConsoleAdmin {
            principal: principal.clone(),
            scopes,
            org,
        })
    }
}

impl Engine {
    /// Which of `scopes` the administrator may not hand on to a role (or an authorization) of
    /// `audience_key`: Guise's own powers (scopes of system API resources) they do not hold *for
    /// that audience* (see [`crate::ceiling`]). Holding a scope for a business application does
    /// not let one grant it to the organization, whose roles reach the Console. Granting a role or
    /// a permission can never raise privilege. Scopes of the organization's own business APIs are
    /// theirs to grant.
    async fn scopes_not_held<'a>(
        &self,
        admin: &ConsoleAdmin,
        audience_key: &str,
        scopes: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<String>> {
        let mut conn = self.db.pool().acquire().await?;
        // What the administrator holds at home: an administrator switched into an organization
        // below theirs acts there with the powers their own organization gave them.
        let home = admin.principal().org_id();
        let system = SystemScopes::load(&mut conn).await?;
        let mine =
            Holdings::load(&mut conn, home, admin.principal().acting_user(), &system).await?;
        Ok(scopes
            .into_iter()
            .filter(|s| system.contains(s) && !mine.holds_for(&system, s, audience_key))
            .map(str::to_owned)
            .collect())
    }

    /// A field error on `field` naming the system scopes among `scopes` the administrator may not
    /// hand on to `audience_key` (as a role's permissions, or an application's authorization).
    pub(crate) async fn ensure_may_grant<'a>(
        &self,
        admin: &ConsoleAdmin,
        field: &'static str,
        audience_key: &str,
        scopes: impl IntoIterator<Item = &'a str>,
    ) -> Result<()> {
        self.refuse_unheld(admin, field, audience_key, scopes, |missing| {
            format!("You cannot grant what you do not hold yourself for this audience: {missing}.")
        })
        .await
    }

    /// A field error on `field` when assigning a role of `audience_key` with `permissions` would
    /// hand on system scopes the administrator does not hold for that audience.
    pub(crate) async fn ensure_may_assign<'a>(
        &self,
        admin: &ConsoleAdmin,
        field: &'static str,
        audience_key: &str,
        permissions: impl IntoIterator<Item = &'a str>,
    ) -> Result<()> {
        self.refuse_unheld(admin, field, audience_key, permissions, |missing| {
            format!(
                "You cannot assign this role: it grants what you do not hold yourself for its audience ({missing})."
            )
        })
        .await
    }

    async fn refuse_unheld<'a>(
        &self,
        admin: &ConsoleAdmin,
        field: &'static str,
        audience_key: &str,
        scopes: impl IntoIterator<Item = &'a str>,
        explain: impl FnOnce(&str) -> String,
    ) -> Result<()> {
        let missing = self.scopes_not_held(admin, audience_key, scopes).await?;
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(field, explain(&missing.join(", "))))
        }
    }
}

/// Refuses a change that would leave the organization without an active Administrator.
pub(crate) async fn ensure_not_last_administrator(
    tx: &mut Tx,
    org: &OrgId,
    user: &UserId,
) -> Result<()> {
    // A write first: two transactions removing different administrators at once take turns here
    // (PostgreSQL's READ COMMITTED would otherwise let each see the other still present).
    sqlx::query("UPDATE roles SET system_key = system_key WHERE org_id = $1 AND system_key = $2")
        .bind(org.as_str())
        .bind(ADMINISTRATOR_ROLE)
        .execute(&mut **tx)
        .await?;
    let is_admin: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_assignments ra JOIN roles r ON r.id = ra.role_id \
         WHERE r.org_id = $1 AND r.system_key = $2 AND ra.user_id = $3",
    )
    .bind(org.as_str())
    .bind(ADMINISTRATOR_ROLE)
    .bind(user.as_str())
    .fetch_one(&mut **tx)
    .await?;
    if is_admin == 0 {
        return Ok(());
    }
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_assignments ra JOIN roles r ON r.id = ra.role_id \
         JOIN users u ON u.id = ra.user_id \
         WHERE r.org_id = $1 AND r.system_key = $2 AND ra.user_id <> $3 AND u.status = 'active'",
    )
    .bind(org.as_str())
    .bind(ADMINISTRATOR_ROLE)
    .bind(user.as_str())
    .fetch_one(&mut **tx)
    .await?;
    if others == 0 {
        return Err(Error::Refused(
            "This is the last active administrator; add another administrator first.",
        ));
    }
    Ok(())
}

/// Assigns a system role (by its `system_key`) to a user.
pub(crate) async fn assign_system_role(
    tx: &mut Tx,
    org: &OrgId,
    system_key: &str,
    user: &UserId,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO role_assignments (role_id, user_id) \
         SELECT id, $1 FROM roles WHERE org_id = $2 AND system_key = $3",
    )
    .bind(user.as_str())
    .bind(org.as_str())
    .bind(system_key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
