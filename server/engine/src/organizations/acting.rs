//! Which organization a browser session's Console acts in (see [`super::switch`]): read on every
//! request that establishes a Console administrator.

use super::tree::is_within;
use crate::error::Result;
use crate::ids::OrgId;
use crate::principal::Principal;
use crate::Db;

/// The organization `principal`'s Console acts in: the one switched to while it is active and
/// below theirs, else their own.
pub(crate) async fn acting_org(db: &Db, principal: &Principal) -> Result<OrgId> {
    let own = principal.org_id().clone();
    // A bearer token's caller acts in its own organization: switching is a browser session's.
    let Some(session_hash) = principal.session_hash() else {
        return Ok(own);
    };
    let switched: Option<Option<String>> =
        sqlx::query_scalar("SELECT acting_org_id FROM sessions WHERE id_hash = $1")
            .bind(session_hash)
            .fetch_optional(db.pool())
            .await?;
    let Some(Some(org)) = switched else {
        return Ok(own);
    };
    let org = OrgId::from_db(org);
    let mut conn = db.pool().acquire().await?;
    let active: Option<String> =
        sqlx::query_scalar("SELECT status FROM organizations WHERE id = $1")
            .bind(org.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    if active.as_deref() == Some("active") && is_within(&mut conn, &own, &org).await? {
        Ok(org)
    } else {
        Ok(own)
    }
}
