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
