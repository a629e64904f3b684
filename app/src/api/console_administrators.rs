//! Console Settings > Administrators. Each function names the scope it needs; the engine checks it.

use crate::model::{Administrator, AppError, ConsoleRole};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Needs `internal_admin_mgt_view`.
#[server(endpoint = "list_administrators", input = Json)]
pub async fn list_administrators() -> Result<Vec<Administrator>, AppError> {
    use super::convert::administrator;
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let all = ctx
        .engine
        .list_administrators(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(all.into_iter().map(administrator).collect())
}

/// The roles Add Administrators offers (audience: the Console). Needs `internal_admin_mgt_view`.
#[server(endpoint = "console_roles", input = Json)]
pub async fn console_roles() -> Result<Vec<ConsoleRole>, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let roles = ctx
        .engine
        .console_roles(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(roles
        .into_iter()
        .map(|r| ConsoleRole {
            id: r.id.to_string(),
            name: r.name,
        })
        .collect())
}

/// Needs `internal_admin_mgt_create`.
#[server(endpoint = "add_administrator", input = Json)]
pub async fn add_administrator(username: String, role: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    // A malformed role id is a field error like an unknown one.
    let role = engine::RoleId::parse(&role).unwrap_or_else(engine::RoleId::generate);
    ctx.engine
        .add_administrator(&admin, &username, &role, ctx.now())
        .await
        .map_err(to_app_error)
}

/// Needs `internal_admin_mgt_delete`.
#[server(endpoint = "remove_administrator", input = Json)]
pub async fn remove_administrator(user_id: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error, user_id as parse_user};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .remove_administrator(&admin, &parse_user(&user_id)?, ctx.now())
        .await
        .map_err(to_app_error)
}
