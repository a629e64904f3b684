//! My Account: the signed-in user's own profile and password.

use crate::model::{AppError, Profile};
use leptos::prelude::*;

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    let user = ctx.engine.my_profile(&me).await.map_err(to_app_error)?;
    profile_of(&ctx, &me, &user).await
}

#[server(endpoint = "update_my_profile")]
pub async fn update_my_profile(
    email: String,
    given_name: String,
    family_name: String,
    country: String,
) -> Result<Profile, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    let changes = engine::users::ProfileChanges {
        email,
        given_name,
        family_name,
        country,
    };
    let user = ctx
        .engine
        .update_my_profile(&me, changes, ctx.now())
        .await
        .map_err(to_app_error)?;
    profile_of(&ctx, &me, &user).await
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

/// The profile as My Account shows it, with whether to offer the way to the Console. Only an
/// answer about the user decides that; a database failure is an error, not "not an administrator".
#[cfg(feature = "ssr")]
async fn profile_of(
    ctx: &super::server::ServerContext,
    me: &engine::Principal,
    user: &engine::users::User,
) -> Result<Profile, AppError> {
    let is_admin = match ctx.engine.console_admin(me).await {
        Ok(_) => true,
        // Not signed into the Console in this session, or signed in without Console scopes.
        // Impersonating: the Console is paused, not offered.
        Err(
            engine::Error::Unauthenticated
            | engine::Error::Forbidden(_)
            | engine::Error::NotAdministrator
            | engine::Error::ImpersonationRefused(_),
        ) => false,
        Err(e) => return Err(super::server::to_app_error(e)),
    };
    Ok(super::server::profile(user, is_admin, limits_of(me)))
}

/// What `me` may not change of their own account because someone impersonates them: asked of the
/// one sensitive-operation policy, so the form shows read-only exactly what the server refuses.
/// `None` for the user themself.
#[cfg(feature = "ssr")]
fn limits_of(me: &engine::Principal) -> Option<crate::model::ImpersonationLimits> {
    use engine::ceiling::sensitive::{ensure_allowed, Sensitive};
    me.actor()?;
    let refused = |change: Sensitive| {
        ensure_allowed(me, me.user_id(), &[change])
            .err()
            .map(|_| change.message().to_owned())
    };
    Some(crate::model::ImpersonationLimits {
        email: refused(Sensitive::Email),
        password: refused(Sensitive::Credentials),
    })
}
