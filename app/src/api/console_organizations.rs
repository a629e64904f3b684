//! Organization Management > Organizations: the tree below the administrator's organization,
//! New Organization, and each organization's Update, Deactivate/Activate, Delete and Invite
//! Parent User. Each function names the scope it needs; the engine checks it.

use crate::model::{AppError, Organization};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn org_id(raw: &str) -> Result<engine::OrgId, AppError> {
    super::convert::parse_id(raw, engine::OrgId::parse, "organization")
}

#[cfg(feature = "ssr")]
fn organization(o: engine::organizations::Organization) -> Organization {
    Organization {
        id: o.id.to_string(),
        parent_id: o.parent_id.map(|p| p.to_string()),
        name: o.name,
        handle: o.handle,
        active: o.active,
        depth: o.depth,
    }
}

/// The administrator's organization and every one below it, parents first. Needs
/// `internal_organization_view`.
#[server(endpoint = "list_organizations", input = Json)]
pub async fn list_organizations() -> Result<Vec<Organization>, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let found = ctx
        .engine
        .organizations(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(found.into_iter().map(organization).collect())
}

/// New Organization below `parent` (`None`: the administrator's own). Needs
/// `internal_organization_create`. Returns the new organization's id.
#[server(endpoint = "create_organization", input = Json)]
pub async fn create_organization(
    name: String,
    handle: String,
    parent: Option<String>,
) -> Result<String, AppError> {
    use super::server::{console_admin, to_app_error};
    use engine::organizations::NewOrganization;
    let (ctx, admin) = console_admin().await?;
    let parent = parent
        .filter(|p| !p.is_empty())
        .map(|p| org_id(&p))
        .transpose()?;
    let id = ctx
        .engine
        .create_organization(
            &admin,
            NewOrganization {
                parent,
                name,
                handle,
            },
            ctx.now(),
        )
        .await
        .map_err(to_app_error)?;
    Ok(id.to_string())
}

/// An organization's **Update** (its name). Needs `internal_organization_update`.
#[server(endpoint = "rename_organization", input = Json)]
pub async fn rename_organization(id: String, name: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .rename_organization(&admin, &org_id(&id)?, &name, ctx.now())
        .await
        .map_err(to_app_error)
}

/// **Deactivate** (`active: false`) or **Activate**. Needs `internal_organization_update`.
/// Returns the state stored.
#[server(endpoint = "set_organization_active", input = Json)]
pub async fn set_organization_active(id: String, active: bool) -> Result<bool, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .set_organization_active(&admin, &org_id(&id)?, active, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(active)
}

/// Deletes an empty organization; one that is not empty is refused. Needs
/// `internal_organization_delete`.
#[server(endpoint = "delete_organization", input = Json)]
pub async fn delete_organization(id: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .delete_organization(&admin, &org_id(&id)?, ctx.now())
        .await
        .map_err(to_app_error)
}

/// **Invite Parent User**: a user of the administrator's organization becomes a member of this
/// one. Needs `internal_organization_update`. Returns the username invited, as typed.
#[server(endpoint = "invite_parent_user", input = Json)]
pub async fn invite_parent_user(id: String, username: String) -> Result<String, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .invite_parent_user(&admin, &org_id(&id)?, &username, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(username.trim().to_owned())
}
