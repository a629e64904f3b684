//! Refresh tokens: rotation, reuse detection, scope narrowing, concurrent use and the grace window
//! that tells a concurrent duplicate from a replay.

use crate::harness::*;
use crate::oauth::{refresh, register, signed_in_tokens};
use engine::applications::{ClientType, GrantType};
use engine::oauth::refresh::REUSE_GRACE_SECS;
use engine::Timestamp;

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replayed_one_revokes_the_family() {
    let engine = engine().await;
    let (app, _, tokens) = signed_in_tokens(&engine).await;
    let first_rt = tokens.refresh_token.unwrap();
    let second = engine.token(&app, &refresh(&first_rt), T0).await.unwrap();
    let second_rt = second.refresh_token.clone().unwrap();
    assert_ne!(first_rt, second_rt);
    assert!(engine
        .authenticate_bearer(&second.access_token, T0)
        .await
        .is_ok());

    // Presented again after the grace window for concurrent duplicates: a replay.
    let later = Timestamp(T0.0 + REUSE_GRACE_SECS + 1);
    assert_eq!(
        engine
            .token(&app, &refresh(&first_rt), later)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    // The replay ended the family: the newest refresh and access tokens are dead too.
    assert_eq!(
        engine
            .token(&app, &refresh(&second_rt), later)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    assert!(engine
        .authenticate_bearer(&second.access_token, later)
        .await
        .is_err());
    assert!(engine
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .is_err());
}

#[tokio::test]
async fn refresh_cannot_widen_scope_and_concurrent_use_has_one_winner() {
    let engine = engine().await;
    let (app, _, tokens) = signed_in_tokens(&engine).await;
    let rt = tokens.refresh_token.unwrap();
    let mut wider = refresh(&rt);
    wider.scope = Some("openid internal_user_mgt_delete".into());
    assert_eq!(
        engine.token(&app, &wider, T0).await.unwrap_err().code,
        "invalid_scope"
    );
    let mut narrower = refresh(&rt);
    narrower.scope = Some("openid".into());
    let narrowed = engine.token(&app, &narrower, T0).await.unwrap();
    assert_eq!(narrowed.scope, "openid");

    let rt = narrowed.refresh_token.unwrap();
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let engine = engine.clone();
            let app = app.clone();
            let rt = rt.clone();
            tokio::spawn(async move { engine.token(&app, &refresh(&rt), T0).await })
        })
        .collect();
    let mut winners = Vec::new();
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(tokens) => winners.push(tokens),
            Err(e) => assert_eq!(e.code, "invalid_grant"),
        }
    }
    assert_eq!(winners.len(), 1);
    // The losers were concurrent duplicates, not replays: what the winner got keeps working.
    let winner = winners.pop().unwrap();
    assert!(engine
        .authenticate_bearer(&winner.access_token, T0)
        .await
        .is_ok());
    let next = winner.refresh_token.unwrap();
    assert!(engine.token(&app, &refresh(&next), T0).await.is_ok());
}

#[tokio::test]
async fn a_duplicate_within_the_grace_window_ends_nothing_a_replay_after_it_ends_the_family() {
    let engine = engine().await;
    let (app, _, tokens) = signed_in_tokens(&engine).await;
    let first_rt = tokens.refresh_token.unwrap();
    let won = engine.token(&app, &refresh(&first_rt), T0).await.unwrap();

    // The same token again, by the same client, seconds later (a second tab, a retry): refused...
    let soon = Timestamp(T0.0 + REUSE_GRACE_SECS);
    let duplicate = engine.token(&app, &refresh(&first_rt), soon).await;
    assert_eq!(duplicate.unwrap_err().code, "invalid_grant");
    // ...but the winner's tokens live on.
    assert!(engine
        .authenticate_bearer(&won.access_token, soon)
        .await
        .is_ok());
    let won_rt = won.refresh_token.unwrap();
    let next = engine.token(&app, &refresh(&won_rt), soon).await.unwrap();

    // Another client presenting it is refused and ends nothing either (it was never theirs).
    let (other, _) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
    let later = Timestamp(soon.0 + 60);
    assert_eq!(
        engine
            .token(&other, &refresh(&first_rt), later)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    assert!(engine
        .authenticate_bearer(&next.access_token, later)
        .await
        .is_ok());

    // After the window, the owner's replay is theft: the whole family ends.
    assert_eq!(
        engine
            .token(&app, &refresh(&first_rt), later)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    assert!(engine
        .authenticate_bearer(&next.access_token, later)
        .await
        .is_err());
    let next_rt = next.refresh_token.unwrap();
    assert!(engine.token(&app, &refresh(&next_rt), later).await.is_err());
}
