//! Who is signed in to the Console.

use crate::model::{AppError, ConsoleSession};
use leptos::prelude::*;

/// The signed-in administrator; `NotSignedIn` or `NotAdministrator` otherwise.
#[server(endpoint = "console_session")]
pub async fn load_console_session() -> Result<ConsoleSession, AppError> {
    use engine::access::scopes;
    let (_ctx, admin) = super::server::console_admin().await?;
    Ok(ConsoleSession {
        user_id: admin.principal().user_id.to_string(),
        username: admin.principal().username.clone(),
        can_create_users: admin.has(scopes::USER_CREATE),
        can_update_users: admin.has(scopes::USER_UPDATE),
        can_delete_users: admin.has(scopes::USER_DELETE),
    })
}
