//! Storage: one sqlx `Any` pool over SQLite (the embedded default) or PostgreSQL (scale-out).
//!
//! Every statement is written once in SQL both backends accept (`$n` placeholders, TEXT/BIGINT
//! columns), so the same engine code and the same test suite run against both.

use crate::error::Result;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

/// A handle to the database. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    pub async fn connect(url: &str) -> Result<Self> {
        install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        if backend == Backend::Sqlite {
            create_sqlite_parent_dir(url);
        }
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(acquire_timeout(backend))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed while one writer commits; the busy timeout makes
                        // a second writer wait instead of failing at once.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        // Our search keys are stored lowercased; a case-sensitive LIKE lets SQLite
                        // answer `LIKE 'prefix%'` from the ordinary indexes.
                        conn.execute("PRAGMA case_sensitive_like = ON").await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(url).await?;
        Ok(Self { pool, backend })
    }

    /// Applies the embedded migrations. On PostgreSQL the migrator holds an advisory lock, so
    /// several nodes starting at once apply each migration exactly once.
    pub async fn migrate(&self) -> Result<()> {
        crate::migrations::shared().run(&self.pool).await?;
        if self.backend == Backend::Postgres {
            crate::migrations::postgres().run(&self.pool).await?;
        }
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a deferred
    /// transaction that reads and then writes fails at once with SQLITE_BUSY, without waiting,
    /// when another connection has written since its read began (its snapshot can no longer become
    /// a write); taking the lock first makes it wait its turn (the busy timeout) like any writer.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// How long a request waits for a connection before it is answered 503. A PostgreSQL that is down
/// or unreachable must fail requests fast (the load balancer's readiness check and the clients'
/// retries take over), not hold them for the usual 10 s; a wait that long on a healthy server is
/// overload, and shedding it is right too. SQLite is a file beside us: a wait there is only other
/// requests holding every connection, so it may be longer.
fn acquire_timeout(backend: Backend) -> Duration {
    match backend {
        Backend::Postgres => Duration::from_secs(1),
        Backend::Sqlite => Duration::from_secs(5),
    }
}

/// `sqlite://dir/file.db?mode=rwc` creates the file but not its folder; create the folder.
fn create_sqlite_parent_dir(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path.starts_with(':') {
        return;
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(parent);
        }
    }
}
