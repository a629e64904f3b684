//! User Management > Users, for administrators. Each function names the scope it needs; the engine
//! checks it.

use crate::model::{AppError, UserDetail, UserPage, UserStatus};
use leptos::prelude::*;

pub const PAGE_SIZE: u32 = 20;

/// Needs `internal_user_mgt_list`.
#[server(endpoint = "list_users")]
pub async fn list_users(search: String, page: u32) -> Result<UserPage, AppError> {
    use super::server::{console_admin, page as to_page, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let found = ctx
        .engine
        .list_users(&admin, &search, page, PAGE_SIZE)
        .await
        .map_err(to_app_error)?;
    Ok(to_page(found))
}

/// Needs `internal_user_mgt_view`.
#[server(endpoint = "get_user")]
pub async fn get_user(id: String) -> Result<UserDetail, AppError> {
    use super::server::{console_admin, detail, to_app_error, user_id};
    let (ctx, admin) = console_admin().await?;
    let user = ctx
        .engine
        .get_user(&admin, &user_id(&id)?)
        .await
        .map_err(to_app_error)?;
    Ok(detail(&user))
}

/// Needs `internal_user_mgt_create`. Returns the new user's id.
#[server(endpoint = "create_user")]
pub async fn create_user(
    username: String,
    email: String,
    given_name: String,
    family_name: String,
    password: String,
) -> Result<String, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let input = engine::users::NewUser {
        username,
        email,
        given_name,
        family_name,
        password,
    };
    let user = ctx
        .engine
        .create_user(&admin, input, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(user.id.to_string())
}

/// Needs `internal_user_mgt_update`.
#[server(endpoint = "update_user")]
pub async fn update_user(
    id: String,
    email: String,
    given_name: String,
    family_name: String,
    country: String,
) -> Result<UserDetail, AppError> {
    use super::server::{console_admin, detail, to_app_error, user_id};
    let (ctx, admin) = console_admin().await?;
    let changes = engine::users::ProfileChanges {
        email,
        given_name,
        family_name,
        country,
    };
    let user = ctx
        .engine
        .update_user(&admin, &user_id(&id)?, changes, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(detail(&user))
}

/// Needs `internal_user_mgt_update`.
#[server(endpoint = "set_user_status")]
pub async fn set_user_status(id: String, status: UserStatus) -> Result<UserDetail, AppError> {
    use super::server::{console_admin, detail, to_app_error, user_id};
    use engine::users::UserStatus as S;
    let (ctx, admin) = console_admin().await?;
    let status = match status {
        UserStatus::Active => S::Active,
        UserStatus::Locked => S::Locked,
        UserStatus::Disabled => S::Disabled,
    };
    let user = ctx
        .engine
        .set_user_status(&admin, &user_id(&id)?, status, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(detail(&user))
}

/// Needs `internal_user_mgt_delete`.
#[server(endpoint = "delete_user")]
pub async fn delete_user(id: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error, user_id};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .delete_user(&admin, &user_id(&id)?, ctx.now())
        .await
        .map_err(to_app_error)
}

/// A user's roles, active sessions and last sign-in. Needs `internal_user_mgt_view`.
#[server(endpoint = "load_user_overview")]
pub async fn load_user_overview(id: String) -> Result<crate::model::UserOverview, AppError> {
    use super::server::{console_admin, to_app_error, user_id};
    use crate::model::time::utc_date_time;
    use crate::model::{HeldRole, UserOverview, UserSession};
    let (ctx, admin) = console_admin().await?;
    let overview = ctx
        .engine
        .user_overview(&admin, &user_id(&id)?, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(UserOverview {
        roles: overview
            .roles
            .into_iter()
            .map(|r| HeldRole {
                id: r.id,
                name: r.name,
                audience: r.application.unwrap_or_else(|| "Organization".to_owned()),
            })
            .collect(),
        sessions: overview
            .sessions
            .into_iter()
            .map(|s| UserSession {
                handle: s.handle,
                signed_in_at: utc_date_time(s.signed_in_at.0),
                expires_at: utc_date_time(s.expires_at.0),
                impersonating: s.impersonating,
            })
            .collect(),
        last_sign_in: overview.last_sign_in.map(|t| utc_date_time(t.0)),
        second_factors: super::two_step::summary(&overview.second_factors, None),
    })
}

/// Removes a user's authenticator app and recovery codes. Needs `internal_user_mgt_update`.
#[server(endpoint = "reset_second_factors")]
pub async fn reset_second_factors(id: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error, user_id};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .reset_second_factors(&admin, &user_id(&id)?, ctx.now())
        .await
        .map_err(to_app_error)
}

/// Ends one of a user's sessions. Needs `internal_user_mgt_update`.
#[server(endpoint = "end_user_session")]
pub async fn end_user_session(id: String, handle: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error, user_id};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .end_user_session(&admin, &user_id(&id)?, &handle, ctx.now())
        .await
        .map_err(to_app_error)
}
