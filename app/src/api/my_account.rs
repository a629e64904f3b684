//! What My Account shows around the profile: the impersonation banner and the applications to
//! launch. Each acts for the caller signed into My Account in this session.

use crate::model::{AppError, MyApplications, MySession};
use leptos::prelude::*;

/// The session as My Account frames it: whether an administrator is impersonating the user here.
#[server(endpoint = "my_session")]
pub async fn load_my_session() -> Result<MySession, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    let view = ctx
        .engine
        .impersonation_view(&me)
        .await
        .map_err(to_app_error)?;
    let now = ctx.now().0;
    Ok(MySession {
        impersonation: view.map(|v| crate::model::ImpersonationBanner {
            subject_username: v.subject_username,
            subject_name: v.subject_name,
            impersonator_username: v.impersonator_username,
            started_at: v.started_at.0,
            expires_at: v.expires_at.0,
            now,
        }),
    })
}

/// The applications the user may launch from My Account; while impersonating, only those the
/// impersonator may enter as the user.
#[server(endpoint = "my_applications")]
pub async fn load_my_applications() -> Result<MyApplications, AppError> {
    use super::server::{account_holder, to_app_error};
    let (ctx, me) = account_holder().await?;
    let apps = ctx
        .engine
        .launchable_applications(&me)
        .await
        .map_err(to_app_error)?;
    Ok(MyApplications {
        impersonating: me.impersonating().is_some(),
        applications: apps
            .into_iter()
            .map(|a| crate::model::LaunchableApplication {
                name: a.name,
                description: a.description,
                access_url: a.access_url,
            })
            .collect(),
    })
}
