//! User Management > Roles, a role's page and an application's Roles tab. Each function names the
//! scope it needs; the engine checks it.

use crate::model::{
    ApiResource, AppError, AppRef, Paged, RoleAudienceFilter, RoleDetail, RoleSummary,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub const PAGE_SIZE: u32 = 20;

/// Needs `internal_role_mgt_view`.
#[server(endpoint = "list_roles", input = Json)]
pub async fn list_roles(
    search: String,
    audience: RoleAudienceFilter,
    page: u32,
) -> Result<Paged<RoleSummary>, AppError> {
    use super::convert::{paged, parse_id, role_summary};
    use super::server::{console_admin, to_app_error};
    use engine::roles::RoleFilter;
    let (ctx, admin) = console_admin().await?;
    let filter = match audience {
        RoleAudienceFilter::All => RoleFilter::All,
        RoleAudienceFilter::Organization => RoleFilter::Organization,
        RoleAudienceFilter::Application(id) => {
            RoleFilter::Application(parse_id(&id, engine::AppId::parse, "application")?)
        }
    };
    let found = ctx
        .engine
        .list_roles(
            &admin,
            &search,
            filter,
            engine::PageRequest::new(page, PAGE_SIZE),
        )
        .await
        .map_err(to_app_error)?;
    Ok(paged(found, role_summary))
}

/// Needs `internal_role_mgt_view`.
#[server(endpoint = "get_role", input = Json)]
pub async fn get_role(id: String) -> Result<RoleDetail, AppError> {
    use super::convert::{parse_id, role_detail};
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let id = parse_id(&id, engine::RoleId::parse, "role")?;
    let role = ctx.engine.role(&admin, &id).await.map_err(to_app_error)?;
    Ok(role_detail(role))
}

/// New Role. `application` is the id of the application the role is for; `None` makes an
/// organization role. Needs `internal_role_mgt_create`. Returns the new role's id.
#[server(endpoint = "create_role", input = Json)]
pub async fn create_role(
    name: String,
    application: Option<String>,
    permissions: Vec<String>,
) -> Result<String, AppError> {
    use super::server::{console_admin, to_app_error};
    use engine::roles::{NewRole, RoleAudience};
    let (ctx, admin) = console_admin().await?;
    let audience = match application.filter(|a| !a.is_empty()) {
        None => RoleAudience::Organization,
        // A malformed id is an unknown application: the engine's field error says so.
        Some(id) => RoleAudience::ApplicationId(
            engine::AppId::parse(&id).unwrap_or_else(engine::AppId::generate),
        ),
    };
    let new = NewRole {
        name,
        audience,
        permissions,
        assign: Vec::new(),
    };
    let id = ctx
        .engine
        .create_role_as(&admin, new, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(id.to_string())
}

/// A role's name and permissions. Needs `internal_role_mgt_update`.
#[server(endpoint = "update_role", input = Json)]
pub async fn update_role(
    id: String,
    name: String,
    permissions: Vec<String>,
) -> Result<RoleDetail, AppError> {
    use super::convert::{parse_id, role_detail};
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let id = parse_id(&id, engine::RoleId::parse, "role")?;
    let role = ctx
        .engine
        .update_role(&admin, &id, name, permissions, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(role_detail(role))
}

/// The Users tab's Update: the role's Assigned Users become exactly `usernames`. Needs
/// `internal_role_mgt_update`.
#[server(endpoint = "set_role_users", input = Json)]
pub async fn set_role_users(id: String, usernames: Vec<String>) -> Result<RoleDetail, AppError> {
    use super::convert::{parse_id, role_detail};
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let id = parse_id(&id, engine::RoleId::parse, "role")?;
    let role = ctx
        .engine
        .set_role_users(&admin, &id, usernames, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(role_detail(role))
}

/// Needs `internal_role_mgt_delete`.
#[server(endpoint = "delete_role", input = Json)]
pub async fn delete_role(id: String) -> Result<(), AppError> {
    use super::convert::parse_id;
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let id = parse_id(&id, engine::RoleId::parse, "role")?;
    ctx.engine
        .delete_role(&admin, &id, ctx.now())
        .await
        .map_err(to_app_error)
}

/// The applications a role can be for (the Role Audience choice). Needs
/// `internal_application_mgt_view`.
#[server(endpoint = "role_audience_choices", input = Json)]
pub async fn role_audience_choices() -> Result<Vec<AppRef>, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let all = ctx
        .engine
        .role_audience_applications(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(all
        .into_iter()
        .map(|a| AppRef {
            id: a.id.to_string(),
            name: a.name,
        })
        .collect())
}

/// The API resources whose scopes a role of this audience may carry: for an application, the scopes
/// it is authorized for; for the organization (`None`), every API resource. Needs
/// `internal_role_mgt_view` or `internal_application_mgt_view`.
#[server(endpoint = "permission_choices", input = Json)]
pub async fn permission_choices(application: Option<String>) -> Result<Vec<ApiResource>, AppError> {
    use super::convert::{api_resource, parse_id};
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let application = match application.filter(|a| !a.is_empty()) {
        Some(id) => Some(parse_id(&id, engine::AppId::parse, "application")?),
        None => None,
    };
    let choices = ctx
        .engine
        .permission_choices(&admin, application.as_ref())
        .await
        .map_err(to_app_error)?;
    Ok(choices.into_iter().map(api_resource).collect())
}
