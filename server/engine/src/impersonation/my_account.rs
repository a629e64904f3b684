//! What My Account shows: the impersonation banner, and the applications to launch.

use crate::applications::{Application, GrantType, COLUMNS, FROM};
use crate::ceiling::impersonation::impersonation_scope_in;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::oauth::scope::granted_for_app;
use crate::organizations::sharing::is_shared_with;
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

    /// The applications My Account offers to launch: the organization's discoverable, enabled
    /// business applications with an access URL that sign users in. In an impersonation session,
    /// only those the impersonator may impersonate in (authorized for User Impersonation, and the
    /// impersonator holds the organization's impersonation scope for them through a role): launching any other
    /// would be refused.
    pub async fn launchable_applications(&self, principal: &Principal) -> Result<Vec<Application>> {
        let org = principal.org_id();
        // The organization's own applications and those shared down to it (the tree and the
        // selection are checked per application below).
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {FROM} WHERE a.system_kind IS NULL \
             AND a.discoverable = 1 AND a.enabled = 1 AND a.access_url <> '' \
             AND (a.org_id = $1 OR a.share_mode = 'all' \
                  OR a.id IN (SELECT app_id FROM application_shares WHERE org_id = $1)) \
             ORDER BY a.name"
        )))
        .bind(org.as_str())
        .fetch_all(self.db.pool())
        .await?;
        let mut conn = self.db.pool().acquire().await?;
        let mut apps = Vec::with_capacity(rows.len());
        for row in &rows {
            let app = self.application_from_row(row)?;
            if app.allows(GrantType::AuthorizationCode)
                && is_shared_with(&mut conn, &app, org).await?
            {
                apps.push(app);
            }
        }
        let Some(actor) = principal.actor() else {
            return Ok(apps);
        };
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
