//! My Account: the signed-in user's own profile and password.

use crate::model::{AppError, Profile};
use leptos::prelude::*;

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    let user = ctx.engine.my_profile(&me).await.map_err(to_app_error)?;
    Ok(profile_of(&ctx, &me, &user).await)
}

#[server(endpoint = "update_my_profile")]
pub async fn update_my_profile(
    email: String,
    given_name: String,
    family_name: String,
) -> Result<Profile, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    let changes = engine::users::ProfileChanges {
        email,
        given_name,
        family_name,
    };
    let user = ctx
        .engine
        .update_my_profile(&me, changes, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(profile_of(&ctx, &me, &user).await)
}

#[server(endpoint = "change_my_password")]
pub async fn change_my_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    ctx.engine
        .change_my_password(&me, &current_password, &new_password, ctx.now())
        .await
        .map_err(to_app_error)
}

/// The profile as My Account shows it, with whether to offer the way to the Console.
#[cfg(feature = "ssr")]
async fn profile_of(
    ctx: &super::server::ServerContext,
    me: &engine::Principal,
    user: &engine::users::User,
) -> Profile {
    let is_admin = ctx.engine.console_admin(me).await.is_ok();
    super::server::profile(user, is_admin)
}
