//! **Switch**: the Console acts in an organization below the administrator's own, or back in
//! their own. The browser then reloads the Console, which reads everything in that context.

use crate::model::AppError;
use leptos::prelude::*;

/// Switches this session's Console to `org_id` (the administrator's own organization: back
/// home). Needs `internal_organization_view`.
#[server(endpoint = "switch_organization")]
pub async fn switch_organization(org_id: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let org = super::convert::parse_id(&org_id, engine::OrgId::parse, "organization")?;
    ctx.engine
        .switch_console_organization(&admin, &org, ctx.now())
        .await
        .map_err(to_app_error)
}
