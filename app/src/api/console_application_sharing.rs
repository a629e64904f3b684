//! An application's **Shared Access** tab: with which organizations below its owner it is
//! shared. Each function names the scope it needs; the engine checks it.

use crate::model::{AppError, SharedAccess};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn app_id(raw: &str) -> Result<engine::AppId, AppError> {
    super::convert::parse_id(raw, engine::AppId::parse, "application")
}

/// Needs `internal_application_mgt_view`.
#[server(endpoint = "application_sharing", input = Json)]
pub async fn application_sharing(id: String) -> Result<SharedAccess, AppError> {
    use super::server::{console_admin, to_app_error};
    use engine::organizations::Sharing;
    let (ctx, admin) = console_admin().await?;
    let sharing = ctx
        .engine
        .application_sharing(&admin, &app_id(&id)?)
        .await
        .map_err(to_app_error)?;
    Ok(match sharing {
        Sharing::NotShared => SharedAccess::NotShared,
        Sharing::All => SharedAccess::All,
        Sharing::Selected(orgs) => {
            SharedAccess::Selected(orgs.iter().map(ToString::to_string).collect())
        }
    })
}

/// **Update** on the Shared Access tab. Needs `internal_application_mgt_update`. Returns what was
/// stored.
#[server(endpoint = "share_application", input = Json)]
pub async fn share_application(
    id: String,
    sharing: SharedAccess,
) -> Result<SharedAccess, AppError> {
    use super::server::{console_admin, respond, to_app_error};
    use crate::model::FieldError;
    use engine::organizations::Sharing;
    let (ctx, admin) = console_admin().await?;
    let engine_sharing = match &sharing {
        SharedAccess::NotShared => Sharing::NotShared,
        SharedAccess::All => Sharing::All,
        // An id that is not one is no organization below the administrator's: the field says so.
        SharedAccess::Selected(ids) => Sharing::Selected(
            ids.iter()
                .map(|raw| {
                    engine::OrgId::parse(raw).ok_or_else(|| {
                        respond(AppError::Invalid(vec![FieldError {
                            field: "organizations".into(),
                            message: "Choose organizations below yours.".into(),
                        }]))
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
    };
    ctx.engine
        .share_application(&admin, &app_id(&id)?, engine_sharing, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(sharing)
}
