//! A child organization's own **Administrator** and **Impersonator** roles. The system model (the
//! Console, My Account and Guise's API resources) is the root's and serves the whole tree; each
//! organization below gets the two roles for it, so that the root's administrators, switched in,
//! can make the organization's own users its administrators and impersonators (the guide's
//! "Assign users with Impersonation Access").

use crate::api_resources::system::{ensure_system_role, SystemRole};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::OrgId;
use crate::permissions::{
    scopes, ADMINISTRATOR_ROLE, CONSOLE_APP, IMPERSONATOR_ROLE, MY_ACCOUNT_APP,
};

/// An organization's impersonators hold the organization scope of the contract, not the root's.
const ORGANIZATION_ROLES: &[SystemRole] = &[
    (
        ADMINISTRATOR_ROLE,
        "Administrator",
        CONSOLE_APP,
        scopes::ADMINISTRATOR_HOLDS,
    ),
    (
        IMPERSONATOR_ROLE,
        "Impersonator",
        MY_ACCOUNT_APP,
        &[&[scopes::ORG_USER_IMPERSONATE]],
    ),
];

/// Creates whatever of the two roles (and their permissions) `org` lacks. Idempotent: every
/// insert yields to an existing row, so a start can run it for every organization.
pub(crate) async fn ensure_organization_roles(
    tx: &mut Tx,
    org: &OrgId,
    now: Timestamp,
) -> Result<()> {
    for role in ORGANIZATION_ROLES {
        ensure_system_role(tx, org, role, now).await?;
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
