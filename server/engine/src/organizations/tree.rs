//! The organization tree: who is below whom. Every rule that must not reach up or sideways asks
//! here.

use crate::error::Result;
use crate::ids::OrgId;
use sqlx::AnyConnection;

/// Whether `org` is `ancestor` or lies below it.
pub(crate) async fn is_within(
    conn: &mut AnyConnection,
    ancestor: &OrgId,
    org: &OrgId,
) -> Result<bool> {
    if ancestor == org {
        return Ok(true);
    }
    let found: Option<String> = sqlx::query_scalar(
        "WITH RECURSIVE up(id, parent_id) AS ( \
           SELECT id, parent_id FROM organizations WHERE id = $1 \
           UNION ALL SELECT o.id, o.parent_id FROM organizations o JOIN up ON o.id = up.parent_id \
         ) SELECT id FROM up WHERE id = $2",
    )
    .bind(org.as_str())
    .bind(ancestor.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Whether `org` is the root organization (the one without a parent).
pub(crate) async fn is_root(conn: &mut AnyConnection, org: &OrgId) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM organizations WHERE id = $1 AND parent_id IS NULL")
            .bind(org.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// `org` and every organization below it, parents before children, with their depth below `org`.
pub(crate) async fn subtree(conn: &mut AnyConnection, org: &OrgId) -> Result<Vec<(OrgId, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "WITH RECURSIVE down(id, depth) AS ( \
           SELECT id, 0 FROM organizations WHERE id = $1 \
           UNION ALL SELECT o.id, down.depth + 1 FROM organizations o JOIN down ON o.parent_id = down.id \
         ) SELECT id, depth FROM down ORDER BY depth, id",
    )
    .bind(org.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, depth)| (OrgId::from_db(id), depth))
        .collect())
}
