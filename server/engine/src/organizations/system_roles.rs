//! A child organization's own **Administrator** and **Impersonator** roles. The system model (the
//! Console, My Account and Guise's API resources) is the root's and serves the whole tree; each
//! organization below gets the two roles for it, so that the root's administrators, switched in,
//! can make the organization's own users its administrators and impersonators (the guide's
//! "Assign users with Impersonation Access").

use crate::access::{scopes, ADMINISTRATOR_ROLE, CONSOLE_APP, IMPERSONATOR_ROLE, MY_ACCOUNT_APP};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::{OrgId, RoleId};

/// key, name, audience (a root system application's kind), permissions. An organization's
/// impersonators hold the organization scope of the contract, not the root's.
const ORGANIZATION_ROLES: &[(&str, &str, &str, &[&str])] = &[
    (
        ADMINISTRATOR_ROLE,
        "Administrator",
        CONSOLE_APP,
        scopes::CONSOLE_ADMINISTRATOR,
    ),
    (
        IMPERSONATOR_ROLE,
        "Impersonator",
        MY_ACCOUNT_APP,
        &[scopes::ORG_USER_IMPERSONATE],
    ),
];

/// Creates whatever of the two roles (and their permissions) `org` lacks. Idempotent: every
/// insert yields to an existing row, so a start can run it for every organization.
pub(crate) async fn ensure_organization_roles(
    tx: &mut Tx,
    org: &OrgId,
    now: Timestamp,
) -> Result<()> {
    for (key, name, audience_kind, permissions) in ORGANIZATION_ROLES {
        sqlx::query(
            "INSERT INTO roles (id, org_id, name, audience_key, system_key, created_at) \
             SELECT $1, $2, $3, a.id, $4, $5 FROM applications a \
             JOIN organizations root ON root.id = a.org_id AND root.parent_id IS NULL \
             WHERE a.system_kind = $6 ON CONFLICT DO NOTHING",
        )
        .bind(RoleId::generate().as_str())
        .bind(org.as_str())
        .bind(*name)
        .bind(*key)
        .bind(now.0)
        .bind(*audience_kind)
        .execute(&mut **tx)
        .await?;
        for scope in *permissions {
            sqlx::query(
                "INSERT INTO role_permissions (role_id, scope) \
                 SELECT id, $1 FROM roles WHERE org_id = $2 AND system_key = $3 ON CONFLICT DO NOTHING",
            )
            .bind(*scope)
            .bind(org.as_str())
            .bind(*key)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// [`ensure_organization_roles`] for every organization below the root: a database from before
/// organizations had roles of their own gains them at the next start.
pub(crate) async fn ensure_every_organizations_roles(tx: &mut Tx, now: Timestamp) -> Result<()> {
    let children: Vec<String> =
        sqlx::query_scalar("SELECT id FROM organizations WHERE parent_id IS NOT NULL")
            .fetch_all(&mut **tx)
            .await?;
    for org in children {
        ensure_organization_roles(tx, &OrgId::from_db(org), now).await?;
    }
    Ok(())
}
