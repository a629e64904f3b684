//! My Account's two-step verification: add an authenticator app, renew recovery codes, remove it.

use crate::model::{AppError, AuthenticatorSetupView, SecondFactorsSummary};
use leptos::prelude::*;

#[server(endpoint = "my_second_factors")]
pub async fn my_second_factors() -> Result<SecondFactorsSummary, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    let factors = ctx
        .engine
        .my_second_factors(&me)
        .await
        .map_err(to_app_error)?;
    Ok(summary(&factors, Some(&me)))
}

#[server(endpoint = "begin_authenticator_app")]
pub async fn begin_authenticator_app() -> Result<AuthenticatorSetupView, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    let setup = ctx
        .engine
        .begin_authenticator_app(&me, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(AuthenticatorSetupView {
        secret: grouped(&setup.secret),
        uri: setup.uri,
        qr_svg: setup.qr_svg,
    })
}

/// Confirms the app with a code it shows; answers the new recovery codes, shown once.
#[server(endpoint = "confirm_authenticator_app")]
pub async fn confirm_authenticator_app(code: String) -> Result<Vec<String>, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    ctx.engine
        .confirm_authenticator_app(&me, &code, ctx.now())
        .await
        .map_err(to_app_error)
}

#[server(endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes() -> Result<Vec<String>, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    ctx.engine
        .renew_my_recovery_codes(&me, ctx.now())
        .await
        .map_err(to_app_error)
}

#[server(endpoint = "remove_authenticator_app")]
pub async fn remove_authenticator_app(password: String) -> Result<(), AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    ctx.engine
        .remove_my_authenticator_app(&me, &password, ctx.now())
        .await
        .map_err(to_app_error)
}

/// The factors as a page shows them; `me` is the user looking at their own (an impersonator
/// sees why they are read-only), `None` an administrator.
#[cfg(feature = "ssr")]
pub(crate) fn summary(
    factors: &engine::factors::SecondFactors,
    me: Option<&engine::Principal>,
) -> SecondFactorsSummary {
    use engine::ceiling::sensitive::{ensure_allowed, Sensitive};
    let locked = me.and_then(|me| {
        ensure_allowed(me, me.user_id(), &[Sensitive::SecondFactors])
            .err()
            .map(|e| e.to_string())
    });
    SecondFactorsSummary {
        authenticator_app_since: factors
            .authenticator_app_since
            .map(|t| crate::model::time::utc_date_time(t.0)),
        recovery_codes_left: factors.recovery_codes_left,
        locked,
    }
}

/// `ABCDEFGH…` as `ABCD EFGH …`: easier to type from the screen.
#[cfg(feature = "ssr")]
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
