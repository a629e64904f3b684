//! Who is signed in to the Console.

use crate::model::{AppError, ConsoleSession};
use leptos::prelude::*;

/// The signed-in administrator and what they may do; `NotSignedIn` or `NotAdministrator` otherwise.
#[server(endpoint = "console_session")]
pub async fn load_console_session() -> Result<ConsoleSession, AppError> {
    use crate::model::Abilities;
    use engine::access::Permission as P;
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
    let may = |view: P, create: P, update: P, delete: P| Abilities {
        view: admin.has(view),
        create: admin.has(create),
        update: admin.has(update),
        delete: admin.has(delete),
    };
    Ok(ConsoleSession {
        user_id: admin.principal().user_id().to_string(),
        username: admin.principal().username().to_owned(),
        users: may(P::UserList, P::UserCreate, P::UserUpdate, P::UserDelete),
        roles: may(P::RoleView, P::RoleCreate, P::RoleUpdate, P::RoleDelete),
        applications: may(
            P::ApplicationView,
            P::ApplicationCreate,
            P::ApplicationUpdate,
            P::ApplicationDelete,
        ),
        api_resources: may(
            P::ApiResourceView,
            P::ApiResourceCreate,
            P::ApiResourceUpdate,
            P::ApiResourceDelete,
        ),
        administrators: may(
            P::AdministratorView,
            P::AdministratorCreate,
            P::AdministratorDelete,
            P::AdministratorDelete,
        ),
        audit_logs: admin.has(P::AuditLogView),
        home_org_id: admin.principal().org_id().to_string(),
        switched_to,
        configs: may(
            P::ConfigView,
            P::ConfigUpdate,
            P::ConfigUpdate,
            P::ConfigUpdate,
        ),
        email: may(P::EmailView, P::EmailUpdate, P::EmailUpdate, P::EmailUpdate),
        organizations: may(
            P::OrganizationView,
            P::OrganizationCreate,
            P::OrganizationUpdate,
            P::OrganizationDelete,
        ),
        impersonation_kill_switch: admin.has(P::ImpersonationKillSwitch),
    })
}
