//! What the ids in audit events name: the Logs page shows a user's username, an organization's,
//! application's, role's or API resource's name, and keeps the id for whoever asks for it. Ids
//! that name nothing (any more) stay ids: a deleted user's events still say who it was by id.

use crate::error::Result;
use sqlx::AnyPool;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// The name an id stands for, and what kind of thing it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// `user`, `organization`, `application`, `role` or `API resource`.
    pub kind: &'static str,
    pub name: String,
}

/// Every table whose ids appear as an event's initiator, target or impersonator, with the column
/// people know its rows by.
const NAMED_TABLES: [(&str, &str, &str); 5] = [
    ("users", "username", "user"),
    ("organizations", "name", "organization"),
    ("applications", "name", "application"),
    ("roles", "name", "role"),
    ("api_resources", "name", "API resource"),
];

/// The names of `ids`, in one query; ids that name nothing are left out.
pub(crate) async fn names_of(
    pool: &AnyPool,
    ids: &BTreeSet<&str>,
) -> Result<BTreeMap<String, Named>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let placeholders = (1..=ids.len())
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = NAMED_TABLES
        .iter()
        .enumerate()
        .map(|(index, (table, column, _))| {
            format!("SELECT id, {column} AS name, {index} AS kind FROM {table} WHERE id IN ({placeholders})")
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    let mut names = BTreeMap::new();
    for row in query.fetch_all(pool).await? {
        let index: i64 = row.try_get("kind")?;
        let Some((_, _, kind)) = usize::try_from(index)
            .ok()
            .and_then(|i| NAMED_TABLES.get(i))
        else {
            continue;
        };
        names.insert(
            row.try_get("id")?,
            Named {
                kind,
                name: row.try_get("name")?,
            },
        );
    }
    Ok(names)
}
