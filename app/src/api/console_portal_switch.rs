//! Console > Applications > My Account: switching the My Account portal on and off (the guide's
//! prerequisite for impersonating through the Console). Whether it is on comes with the
//! application itself ([`crate::model::ApplicationDetail::enabled`]).

use crate::model::AppError;
use leptos::prelude::*;

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
