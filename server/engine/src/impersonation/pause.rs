//! Whether impersonation is paused where it would happen: the organization's own pause, or the
//! root organization's, which pauses every organization. Read by the one impersonation decision
//! ([`crate::ceiling::impersonation`]) and by an organization switch for the organization entered.

use crate::ceiling::refusals::Refusal;
use crate::error::Result;
use crate::ids::OrgId;
use sqlx::AnyConnection;

/// [`Refusal::Paused`] when impersonation is paused in `org`.
pub(crate) async fn refusal(conn: &mut AnyConnection, org: &OrgId) -> Result<Option<Refusal>> {
    let paused: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM impersonation_pauses WHERE org_id = $1 \
         OR org_id IN (SELECT id FROM organizations WHERE parent_id IS NULL)",
    )
    .bind(org.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Ok((paused > 0).then_some(Refusal::Paused))
}
