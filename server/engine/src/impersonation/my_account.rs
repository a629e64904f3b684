//! What My Account shows: the impersonation banner, and the applications to launch.

use crate::applications::{Application, GrantType};
use crate::ceiling::impersonation::impersonation_scope_in;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::oauth::scope::granted_for_app;
use crate::organizations::sharing::Serving;
use crate::principal::Principal;
use crate::users;
use crate::Engine;

/// The banner of an impersonation session: who is impersonated, by whom, until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImpersonationView {
    pub subject_username: String,
    /// Given and family name, as one ("" when the user has none).
    pub subject_name: String,
    pub impersonator_username: String,
    pub started_at: Timestamp,
    pub expires_at: Timestamp,
}

impl Engine {
    /// The banner for `principal`'s session; `None` when it is not impersonating.
    pub async fn impersonation_view(
        &self,
        principal: &Principal,
    ) -> Result<Option<ImpersonationView>> {
        let (Some(impersonating), Some(actor)) = (principal.impersonating(), principal.actor())
        else {
            return Ok(None);
        };
        let subject = users::find_anywhere(self.db.pool(), principal.user_id().as_str())
            .await?
            .ok_or(Error::Unauthenticated)?;
        let impersonator = users::find_anywhere(self.db.pool(), actor.as_str())
            .await?
            .ok_or(Error::Unauthenticated)?;
        Ok(Some(ImpersonationView {
            subject_name: format!("{} {}", subject.given_name, subject.family_name)
                .trim()
                .to_owned(),
            subject_username: subject.username,
            impersonator_username: impersonator.username,
            started_at: impersonating.started_at(),
            expires_at: impersonating.expires_at(),
        }))
    }

    /// The applications My Account offers to launch: the organization's (own, or shared with it)
    /// discoverable, enabled business applications with an access URL that sign users in. In an
    /// impersonation session, only those the impersonator may impersonate in (authorized for User
    /// Impersonation, and the impersonator holds the organization's impersonation scope for them
    /// through a role): launching any other would be refused.
    pub async fn launchable_applications(&self, principal: &Principal) -> Result<Vec<Application>> {
        let org = principal.org_id();
        let apps: Vec<Application> = self
            .applications_serving(org, Serving::Launchable)
            .await?
            .into_iter()
            .filter(|a| a.allows(GrantType::AuthorizationCode))
            .collect();
        let Some(actor) = principal.actor() else {
            return Ok(apps);
        };
        let mut conn = self.db.pool().acquire().await?;
        let needed = impersonation_scope_in(&mut conn, org).await?;
        let mut permitted = Vec::with_capacity(apps.len());
        for app in apps {
            let granted = granted_for_app(&mut conn, &app, actor, org).await?;
            if granted.iter().any(|s| s == needed) {
                permitted.push(app);
            }
        }
        Ok(permitted)
    }
}
