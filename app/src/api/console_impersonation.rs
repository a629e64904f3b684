//! The Console's side of impersonation on a user's page: whether **Impersonate User** is
//! available, and the user's impersonation sessions. Starting and stopping are plain form targets
//! of the server (`/auth/impersonation/start`, `/auth/impersonation/stop`), not server functions:
//! the new tab must open on the click itself, before or without hydration.

use crate::model::{AppError, ImpersonationAvailability, ImpersonationHistory};
use leptos::prelude::*;

/// Whether the caller may impersonate the user now, and why not. Needs `internal_user_mgt_view`;
/// the Impersonator role and the guardrails decide the rest, and their refusal is the reason.
#[server(endpoint = "impersonation_availability")]
pub async fn load_impersonation_availability(
    user_id: String,
) -> Result<ImpersonationAvailability, AppError> {
    use super::server::{console_admin, to_app_error, user_id as parse_user_id};
    let (ctx, admin) = console_admin().await?;
    match ctx
        .engine
        .may_impersonate_from_console(&admin, &parse_user_id(&user_id)?, ctx.now())
        .await
    {
        Ok(()) => {
            use engine::impersonation::policy::ReasonPolicy;
            let policy = ctx
                .engine
                .impersonation_asks(&admin)
                .await
                .map_err(to_app_error)?;
            Ok(ImpersonationAvailability::Available {
                ask: crate::model::JustificationAsk {
                    asked: policy.reason != ReasonPolicy::Off,
                    required: policy.reason == ReasonPolicy::Required,
                    ticket_pattern: policy.ticket_pattern,
                },
            })
        }
        Err(engine::Error::ImpersonationRefused(
            engine::ceiling::refusals::Refusal::StepUpRequired,
        )) => {
            let factors = ctx
                .engine
                .my_second_factors(admin.principal())
                .await
                .map_err(to_app_error)?;
            Ok(ImpersonationAvailability::ConfirmIdentity {
                second_factor: factors.any(),
            })
        }
        Err(engine::Error::ImpersonationRefused(refusal)) => {
            Ok(ImpersonationAvailability::Unavailable {
                reason: refusal.message().to_owned(),
            })
        }
        Err(e) => Err(to_app_error(e)),
    }
}

/// The impersonation sessions in which the user was the impersonator or the impersonated user,
/// newest first. Needs `internal_user_mgt_view`.
#[server(endpoint = "impersonation_history")]
pub async fn load_impersonation_history(user_id: String) -> Result<ImpersonationHistory, AppError> {
    use super::server::{console_admin, to_app_error, user_id as parse_user_id};
    let (ctx, admin) = console_admin().await?;
    let records = ctx
        .engine
        .impersonation_history(&admin, &parse_user_id(&user_id)?)
        .await
        .map_err(to_app_error)?;
    Ok(ImpersonationHistory {
        sessions: records
            .into_iter()
            .map(super::convert::impersonation_session)
            .collect(),
        now: ctx.now().0,
    })
}
