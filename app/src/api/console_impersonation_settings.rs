//! Login & Registration > Organization settings > Impersonation. Each function names the scope it
//! needs; the engine checks it.

use crate::model::{AppError, ImpersonationConfig, ImpersonationPolicyView, KillSwitchView};
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

/// The kill switch. Needs `internal_impersonation_kill_switch`.
#[server(endpoint = "get_kill_switch", input = Json)]
pub async fn get_kill_switch() -> Result<KillSwitchView, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let switch = ctx
        .engine
        .kill_switch(&admin, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(kill_switch_view(switch))
}

/// **End all impersonation sessions**; answers how many ended. Needs
/// `internal_impersonation_kill_switch`.
#[server(endpoint = "end_all_impersonations", input = Json)]
pub async fn end_all_impersonations() -> Result<u64, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .end_all_impersonations(&admin, ctx.now())
        .await
        .map_err(to_app_error)
}

/// **Pause impersonation** / **Resume impersonation**. Needs `internal_impersonation_kill_switch`.
#[server(endpoint = "set_impersonation_paused", input = Json)]
pub async fn set_impersonation_paused(paused: bool) -> Result<KillSwitchView, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let switch = ctx
        .engine
        .set_impersonation_paused(&admin, paused, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(kill_switch_view(switch))
}

#[cfg(feature = "ssr")]
fn kill_switch_view(switch: engine::impersonation::KillSwitch) -> KillSwitchView {
    use crate::model::time::utc_date_time;
    KillSwitchView {
        paused: switch.paused(),
        paused_at: switch.paused_at.map(|t| utc_date_time(t.0)),
        paused_by: switch.paused_by,
        paused_from_root: switch.paused_from_root,
        live: switch.live,
        everywhere: switch.everywhere,
    }
}

/// The impersonation guardrails. Needs `internal_config_view`.
#[server(endpoint = "get_impersonation_policy", input = Json)]
pub async fn get_impersonation_policy() -> Result<ImpersonationPolicyView, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let policy = ctx
        .engine
        .impersonation_policy(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(policy_view(
        policy,
        ctx.engine.deployment_impersonation_minutes(),
    ))
}

/// Changes the guardrails. Needs `internal_config_update`.
#[server(endpoint = "update_impersonation_policy", input = Json)]
pub async fn update_impersonation_policy(
    minutes: i64,
    always_second_factor: bool,
    reason: String,
    ticket_pattern: String,
    hard_limit_minutes: String,
) -> Result<ImpersonationPolicyView, AppError> {
    use super::server::{console_admin, to_app_error};
    use engine::impersonation::policy::{ImpersonationPolicy, ReasonPolicy, StepUpFactor};
    let (ctx, admin) = console_admin().await?;
    let Some(reason) = ReasonPolicy::parse(&reason) else {
        return Err(AppError::Invalid(vec![crate::model::FieldError {
            field: "reason".into(),
            message: "Choose Off, Optional or Required.".into(),
        }]));
    };
    let hard_limit_minutes = match hard_limit_minutes.trim() {
        "" => None,
        typed => Some(typed.parse::<i64>().map_err(|_| {
            AppError::Invalid(vec![crate::model::FieldError {
                field: "hard_limit_minutes".into(),
                message: "Enter a whole number of minutes, or leave it empty.".into(),
            }])
        })?),
    };
    let policy = ImpersonationPolicy {
        step_up_minutes: minutes,
        step_up_second_factor: if always_second_factor {
            StepUpFactor::Always
        } else {
            StepUpFactor::IfEnrolled
        },
        reason,
        ticket_pattern: Some(ticket_pattern),
        hard_limit_minutes,
    };
    let saved = ctx
        .engine
        .update_impersonation_policy(&admin, policy, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(policy_view(
        saved,
        ctx.engine.deployment_impersonation_minutes(),
    ))
}

#[cfg(feature = "ssr")]
fn policy_view(
    policy: engine::impersonation::policy::ImpersonationPolicy,
    deployment_limit_minutes: i64,
) -> ImpersonationPolicyView {
    ImpersonationPolicyView {
        minutes: policy.step_up_minutes,
        always_second_factor: policy.step_up_second_factor
            == engine::impersonation::policy::StepUpFactor::Always,
        reason: policy.reason.as_str().to_owned(),
        ticket_pattern: policy.ticket_pattern.unwrap_or_default(),
        hard_limit_minutes: policy
            .hard_limit_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
        deployment_limit_minutes,
    }
}
