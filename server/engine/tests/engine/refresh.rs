//! Refresh tokens: rotation, reuse detection, scope narrowing, concurrent use and the
//! application's **Refresh token grace period**, which (when set) tells a concurrent duplicate from
//! a replay. Its default, 0, makes every reuse a replay.

use crate::harness::*;
use crate::oauth::{refresh, register, signed_in_tokens};
use engine::applications::{Application, ProtocolSettings};
use engine::applications::{ClientType, GrantType};
use engine::Timestamp;

/// Seconds of the grace period the duplicate tests set.
const GRACE: i64 = 5;

/// `app`'s Protocol tab as stored, with the Refresh token grace period `secs`.
fn protocol_with_grace(app: &Application, secs: i64) -> ProtocolSettings {
    ProtocolSettings {
        redirect_uris: app.redirect_uris.clone(),
        post_logout_redirect_uris: app.post_logout_redirect_uris.clone(),
        grant_types: app.grant_types.clone(),
        pkce_required: app.pkce_required,
        access_token_lifetime: app.access_token_lifetime,
        refresh_token_lifetime: app.refresh_token_lifetime,
        id_token_lifetime: app.id_token_lifetime,
        subject_token_enabled: app.subject_token_enabled,
        subject_token_lifetime: app.subject_token_lifetime,
        refresh_grace_secs: secs,
    }
}

/// `app` with its Refresh token grace period set to `secs` on its Protocol tab.
async fn with_grace(engine: &engine::Engine, app: &Application, secs: i64) -> Application {
    let admin = admin(engine).await;
    engine
        .update_application_protocol(&admin, &app.id, protocol_with_grace(app, secs), T0)
        .await
        .unwrap()
}

#[tokio::test]
async fn by_default_any_reuse_of_a_rotated_token_ends_the_family_at_once() {
    let engine = engine().await;
    let (app, _, tokens) = signed_in_tokens(&engine).await;
    assert_eq!(app.refresh_grace_secs, 0);
    let first_rt = tokens.refresh_token.unwrap();
    let second = engine.token(&app, &refresh(&first_rt), T0).await.unwrap();
    // The same second: whoever presents the rotated token again, the family ends.
    let reuse = engine.token(&app, &refresh(&first_rt), T0).await;
    assert_eq!(reuse.unwrap_err().code, "invalid_grant");
    assert!(engine
        .authenticate_bearer(&second.access_token, T0)
        .await
        .is_err());
    let second_rt = second.refresh_token.unwrap();
    assert!(engine.token(&app, &refresh(&second_rt), T0).await.is_err());
}

#[tokio::test]
async fn the_grace_period_is_bounded() {
    let engine = engine().await;
    let (app, _, _) = signed_in_tokens(&engine).await;
    let admin = admin(&engine).await;
    for secs in [-1, 61] {
        let e = engine
            .update_application_protocol(&admin, &app.id, protocol_with_grace(&app, secs), T0)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, engine::Error::Invalid(f) if f[0].field == "refresh_grace_secs"),
            "{e:?}"
        );
    }
    assert_eq!(with_grace(&engine, &app, 60).await.refresh_grace_secs, 60);
}

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

    // Presented again: a replay.
    let later = Timestamp(T0.0 + 1);
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
    let app = with_grace(&engine, &app, GRACE).await;
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
async fn a_duplicate_within_the_grace_period_ends_nothing_a_replay_after_it_ends_the_family() {
    let engine = engine().await;
    let (app, _, tokens) = signed_in_tokens(&engine).await;
    let app = with_grace(&engine, &app, GRACE).await;
    let first_rt = tokens.refresh_token.unwrap();
    let won = engine.token(&app, &refresh(&first_rt), T0).await.unwrap();

    // The same token again, by the same client, seconds later (a second tab, a retry): refused...
    let soon = Timestamp(T0.0 + GRACE);
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
