//! My Account's **Account activity**: the impersonations of the caller's own account. Refused
//! while impersonating (the engine says why).

use crate::model::{AccountActivity, AppError};
use leptos::prelude::*;

#[server(endpoint = "account_activity")]
pub async fn load_account_activity() -> Result<AccountActivity, AppError> {
    use super::server::{account_holder, to_app_error};
    use crate::model::{AccountImpersonation, ChangeMade};
    let (ctx, principal) = account_holder().await?;
    let activity = ctx
        .engine
        .account_activity(&principal)
        .await
        .map_err(to_app_error)?;
    Ok(AccountActivity {
        impersonations: activity
            .into_iter()
            .map(|a| AccountImpersonation {
                session: super::convert::impersonation_session(a.record),
                changes: a
                    .changes
                    .into_iter()
                    .map(|c| ChangeMade {
                        action: c.action,
                        time: c.time,
                        detail: c.detail,
                    })
                    .collect(),
            })
            .collect(),
        now: ctx.now().0,
    })
}
