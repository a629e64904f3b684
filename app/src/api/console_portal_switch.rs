//! Console > Applications > My Account: switching the My Account portal on and off (the guide's
//! prerequisite for impersonating through the Console).

use crate::model::AppError;
use leptos::prelude::*;

/// Whether My Account is enabled. Any Console administrator may ask: the Applications page shows
/// it, and the user page's **Impersonate User** depends on it.
#[server(endpoint = "my_account_status")]
pub async fn my_account_status() -> Result<bool, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, _admin) = console_admin().await?;
    ctx.engine.my_account_enabled().await.map_err(to_app_error)
}

/// Enables or disables My Account; returns the state now stored. Disabling signs everyone out of
/// it at once, ending every impersonation through it. Needs `internal_application_mgt_update`.
#[server(endpoint = "set_my_account_enabled")]
pub async fn set_my_account_enabled(enabled: bool) -> Result<bool, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .set_my_account_enabled(&admin, enabled, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(enabled)
}
