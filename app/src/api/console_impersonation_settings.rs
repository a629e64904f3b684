//! Login & Registration > Organization settings > Impersonation. Each function names the scope it
//! needs; the engine checks it.

use crate::model::{AppError, ImpersonationConfig};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Needs `internal_config_view`.
#[server(endpoint = "get_impersonation_config", input = Json)]
pub async fn get_impersonation_config() -> Result<ImpersonationConfig, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let settings = ctx
        .engine
        .impersonation_settings(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(ImpersonationConfig {
        enable_email_notification: settings.enable_email_notification,
    })
}

/// Needs `internal_config_update`.
#[server(endpoint = "update_impersonation_config", input = Json)]
pub async fn update_impersonation_config(
    enable_email_notification: bool,
) -> Result<ImpersonationConfig, AppError> {
    use super::server::{console_admin, to_app_error};
    use engine::notifications::ImpersonationSettings;
    let (ctx, admin) = console_admin().await?;
    let saved = ctx
        .engine
        .update_impersonation_settings(
            &admin,
            ImpersonationSettings {
                enable_email_notification,
            },
            ctx.now(),
        )
        .await
        .map_err(to_app_error)?;
    Ok(ImpersonationConfig {
        enable_email_notification: saved.enable_email_notification,
    })
}
