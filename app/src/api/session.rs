//! Who is signed in to the Console.

use crate::model::{AppError, ConsoleSession};
use leptos::prelude::*;

/// The signed-in administrator and what they may do; `NotSignedIn` or `NotAdministrator` otherwise.
#[server(endpoint = "console_session")]
pub async fn load_console_session() -> Result<ConsoleSession, AppError> {
    use crate::model::Abilities;
    use engine::access::scopes as s;
    let (ctx, admin) = super::server::console_admin().await?;
    let switched_to = if admin.switched() {
        Some(
            ctx.engine
                .organization_name(admin.org())
                .await
                .map_err(super::server::to_app_error)?,
        )
    } else {
        None
    };
    let may = |view: &str, create: &str, update: &str, delete: &str| Abilities {
        view: admin.has(view),
        create: admin.has(create),
        update: admin.has(update),
        delete: admin.has(delete),
    };
    Ok(ConsoleSession {
        user_id: admin.principal().user_id().to_string(),
        username: admin.principal().username().to_owned(),
        users: may(s::USER_LIST, s::USER_CREATE, s::USER_UPDATE, s::USER_DELETE),
        roles: may(s::ROLE_VIEW, s::ROLE_CREATE, s::ROLE_UPDATE, s::ROLE_DELETE),
        applications: may(
            s::APPLICATION_VIEW,
            s::APPLICATION_CREATE,
            s::APPLICATION_UPDATE,
            s::APPLICATION_DELETE,
        ),
        api_resources: may(
            s::API_RESOURCE_VIEW,
            s::API_RESOURCE_CREATE,
            s::API_RESOURCE_UPDATE,
            s::API_RESOURCE_DELETE,
        ),
        administrators: may(
            s::ADMINISTRATOR_VIEW,
            s::ADMINISTRATOR_CREATE,
            s::ADMINISTRATOR_DELETE,
            s::ADMINISTRATOR_DELETE,
        ),
        audit_logs: admin.has(s::AUDIT_LOG_VIEW),
        home_org_id: admin.principal().org_id().to_string(),
        switched_to,
        configs: may(
            s::CONFIG_VIEW,
            s::CONFIG_UPDATE,
            s::CONFIG_UPDATE,
            s::CONFIG_UPDATE,
        ),
        email: may(
            s::EMAIL_VIEW,
            s::EMAIL_UPDATE,
            s::EMAIL_UPDATE,
            s::EMAIL_UPDATE,
        ),
        organizations: may(
            s::ORGANIZATION_VIEW,
            s::ORGANIZATION_CREATE,
            s::ORGANIZATION_UPDATE,
            s::ORGANIZATION_DELETE,
        ),
    })
}
