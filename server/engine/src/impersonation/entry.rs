//! Every sign-in an impersonation session makes decides again whether the impersonator may enter
//! that application as the user: the user may since have become an administrator, or the
//! impersonator lost the role.

use crate::applications::Application;
use crate::ceiling::impersonation::{ensure_may_impersonate, Refusal};
use crate::oauth::OAuthError;
use crate::principal::Principal;
use crate::Engine;

impl Engine {
    /// Why an impersonation session may not sign into `app`, if it may not: the same decision as
    /// when it started (the user may since have become an administrator, the impersonator lost
    /// the role). `None` for a session acting as its own user.
    pub(crate) async fn impersonated_entry_refusal(
        &self,
        principal: &Principal,
        app: &Application,
        now: crate::clock::Timestamp,
    ) -> Result<Option<Refusal>, OAuthError> {
        let Some(actor) = principal.actor() else {
            return Ok(None);
        };
        let mut conn = self.db.pool().acquire().await?;
        match ensure_may_impersonate(&mut conn, actor, &principal.org_id, &principal.user_id, app)
            .await
        {
            Ok(_) => Ok(None),
            Err(crate::Error::ImpersonationRefused(refusal)) => {
                drop(conn);
                crate::audit::impersonation::refused(
                    &self.db,
                    crate::audit::impersonation::Attempt {
                        org: &principal.org_id,
                        impersonator: actor,
                        subject: principal.user_id.as_str(),
                        via_client_id: &app.client_id,
                        request: principal.request(),
                    },
                    refusal.message(),
                    now,
                )
                .await?;
                Ok(Some(refusal))
            }
            Err(e) => Err(e.into()),
        }
    }
}
