//! **Switch**: the Console of a browser session acts in an organization below the
//! administrator's own, until they switch back. Kept on the SSO session (the database), so every
//! node and every tab agrees; checked again on every request, so an organization deactivated or
//! moved out of reach sends the Console home.

use super::tree::is_within;
use crate::access::ConsoleAdmin;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::OrgId;
use crate::permissions::Permission;
use crate::Engine;

impl Engine {
    /// Switches the session's Console to `org` (the administrator's own: back home). Needs
    /// `internal_organization_view`; the organization must be active and at or below theirs.
    pub async fn switch_console_organization(
        &self,
        admin: &ConsoleAdmin,
        org: &OrgId,
        _now: Timestamp,
    ) -> Result<()> {
        admin.require(Permission::OrganizationView)?;
        let own = admin.principal().org_id();
        let mut conn = self.db.pool().acquire().await?;
        if !is_within(&mut conn, own, org).await? {
            return Err(Error::NotFound("organization"));
        }
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM organizations WHERE id = $1")
                .bind(org.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        if status.as_deref() != Some("active") {
            return Err(Error::Refused(
                "A deactivated organization cannot be switched to.",
            ));
        }
        let acting = (org != own).then(|| org.as_str().to_owned());
        sqlx::query("UPDATE sessions SET acting_org_id = $1 WHERE id_hash = $2")
            .bind(acting)
            .bind(admin.principal().session_hash())
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// The name of the organization the Console acts in.
    pub async fn organization_name(&self, org: &OrgId) -> Result<String> {
        sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
            .bind(org.as_str())
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(Error::NotFound("organization"))
    }
}
