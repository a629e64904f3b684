//! The schema's migrations, embedded in the binary.
//!
//! They are listed here rather than read by `sqlx::migrate!`: that macro is the only reason the
//! build would compile sqlx's proc-macro crate, which brings a second copy of both database
//! drivers, tokio and SQLite's C source into every build (debug and release), for nothing the
//! engine uses at run time. A test holds this list to the migration folders, file for file and
//! checksum for checksum, so a migration cannot be added to a folder and forgotten here.

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::AssertSqlSafe;
use sqlx::SqlSafeStr;
use std::borrow::Cow;

/// One migration: its version, its description (the file name's, as sqlx derives it) and its SQL.
type Embedded = (i64, &'static str, &'static str);

/// Migrations both backends share (`migrations/`).
const SHARED: &[Embedded] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/0001_foundation.sql"),
    ),
    (2, "oauth", include_str!("../migrations/0002_oauth.sql")),
    (
        3,
        "access model",
        include_str!("../migrations/0003_access_model.sql"),
    ),
    (
        4,
        "reauthentication",
        include_str!("../migrations/0004_reauthentication.sql"),
    ),
    (
        5,
        "user version",
        include_str!("../migrations/0005_user_version.sql"),
    ),
    (
        6,
        "impersonation",
        include_str!("../migrations/0006_impersonation.sql"),
    ),
    (
        7,
        "user country",
        include_str!("../migrations/0007_user_country.sql"),
    ),
    (
        8,
        "audit trail",
        include_str!("../migrations/0008_audit_trail.sql"),
    ),
    (
        9,
        "notifications",
        include_str!("../migrations/0009_notifications.sql"),
    ),
    (
        10,
        "organizations",
        include_str!("../migrations/0010_organizations.sql"),
    ),
    (
        11,
        "console organization",
        include_str!("../migrations/0011_console_organization.sql"),
    ),
    (
        12,
        "audit organization",
        include_str!("../migrations/0012_audit_organization.sql"),
    ),
    (
        13,
        "issue20 shape",
        include_str!("../migrations/0013_issue20_shape.sql"),
    ),
    (
        14,
        "signing key publication",
        include_str!("../migrations/0014_signing_key_publication.sql"),
    ),
    (
        15,
        "second factors",
        include_str!("../migrations/0015_second_factors.sql"),
    ),
    (
        16,
        "impersonation pause",
        include_str!("../migrations/0016_impersonation_pause.sql"),
    ),
    (
        17,
        "impersonation policy",
        include_str!("../migrations/0017_impersonation_policy.sql"),
    ),
];

/// PostgreSQL-only additions (`migrations_postgres/`), numbered from 1001 so they never collide
/// with the shared ones.
const POSTGRES: &[Embedded] = &[(
    1001,
    "prefix search indexes",
    include_str!("../migrations_postgres/1001_prefix_search_indexes.sql"),
)];

/// The shared migrations, as `sqlx::migrate!("./migrations")` would build them.
pub fn shared() -> Migrator {
    migrator(SHARED)
}

/// The PostgreSQL-only migrations.
pub fn postgres() -> Migrator {
    migrator(POSTGRES)
}

fn migrator(embedded: &[Embedded]) -> Migrator {
    let mut migrator = Migrator::with_migrations(
        embedded
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    AssertSqlSafe(sql).into_sql_str(),
                    // sqlx's own convention for a migration that must run outside a transaction.
                    sql.starts_with("-- no-transaction"),
                )
            })
            .collect(),
    );
    // Each migrator ignores the other's applied versions instead of calling them missing.
    migrator.set_ignore_missing(true);
    migrator
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// What sqlx reads from a migration folder, as the list compares it.
    fn summary(migrator: &Migrator) -> Vec<(i64, String, Vec<u8>, bool)> {
        migrator
            .iter()
            .map(|m| {
                (
                    m.version,
                    m.description.to_string(),
                    m.checksum.to_vec(),
                    m.no_tx,
                )
            })
            .collect()
    }

    async fn from_folder(folder: &str) -> Migrator {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        match Migrator::new(path.as_path()).await {
            Ok(migrator) => migrator,
            Err(error) => panic!("reading {folder}: {error}"),
        }
    }

    #[tokio::test]
    async fn the_embedded_migrations_are_the_migration_folders_file_for_file() {
        assert_eq!(
            summary(&shared()),
            summary(&from_folder("migrations").await)
        );
        assert_eq!(
            summary(&postgres()),
            summary(&from_folder("migrations_postgres").await)
        );
    }
}
