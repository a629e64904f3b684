//! A failing database is an error of ours, never an answer about the caller: not "invalid token",
//! not "not signed in".

use crate::harness::*;
use crate::oauth::signed_in_tokens;
use engine::{Engine, Error, Settings};

#[tokio::test]
async fn a_database_failure_while_reading_keys_is_not_an_invalid_token() {
    let (first, url) = engine_at().await;
    let (_, _, tokens) = signed_in_tokens(&first).await;
    // A second node has not read the keys yet; then its database fails.
    let second = Engine::open(&url, Settings::for_tests()).await.unwrap();
    second.db().close().await;
    let refused = second
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .unwrap_err();
    assert_eq!(refused.code, "temporarily_unavailable", "{refused:?}");
}

/// Concurrent writes that read first (the last-administrator check, then the removal) wait their
/// turn; none is refused as if the database were unavailable. On SQLite a deferred transaction
/// upgraded to a write after another's commit fails at once (SQLITE_BUSY), whatever the busy timeout.
#[tokio::test]
async fn concurrent_read_then_write_transactions_all_commit() {
    let engine = engine().await;
    let db = engine.db();
    let mut writers = Vec::new();
    for i in 0..8 {
        let db = db.clone();
        writers.push(tokio::spawn(async move {
            let mut tx = db.begin().await?;
            let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
                .fetch_one(&mut *tx)
                .await?;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            sqlx::query("UPDATE organizations SET name = name WHERE name = $1")
                .bind(format!("nobody {i}"))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<(), engine::Error>(())
        }));
    }
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn a_database_failure_is_not_a_missing_session() {
    let engine = engine().await;
    let session = sign_in(&engine, ADMIN, ADMIN_PASSWORD).await.unwrap();
    engine.db().close().await;
    let failed = engine
        .authenticate(session.token.expose(), T0)
        .await
        .unwrap_err();
    assert!(matches!(failed, Error::Unavailable(_)), "{failed:?}");
}
