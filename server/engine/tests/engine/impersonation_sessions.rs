//! An impersonation session from the Console: the session becomes the user's with the
//! administrator as the actor, every token of it says so, and stopping, the time limit or signing
//! out end it with everything minted under it — giving the administrator their own session back.

use crate::harness::*;
use crate::impersonation_fixture::*;
use crate::oauth::{claims, code_for, redeem, refresh};
use engine::access::MY_ACCOUNT_APP;
use engine::impersonation::EndReason;
use engine::Timestamp;
use serde_json::Value;

#[tokio::test]
async fn impersonating_makes_the_session_the_users_and_every_token_names_the_admin_as_actor() {
    let s = setup().await;
    let admin_id = s.admin.principal().user_id().clone();
    let olga = s.impersonate_olga().await;
    assert_eq!(olga.user_id(), &s.olga);
    assert_eq!(olga.actor(), Some(&admin_id));
    let limit = olga.impersonating().unwrap().expires_at();
    assert_eq!(limit, Timestamp(T0.0 + 3600));
    // My Account is signed in as Olga.
    s.engine
        .portal_scope(&olga, MY_ACCOUNT_APP)
        .await
        .expect("My Account grant for the impersonated user");

    // SSO into the business application: sub is Olga, act.sub the administrator.
    let code = code_for(&s.engine, &s.app, &olga, T0).await;
    let tokens = s.engine.token(&s.app, &redeem(&code), T0).await.unwrap();
    let access = claims(&tokens.access_token);
    assert_eq!(access["sub"], s.olga.as_str());
    assert_eq!(access["act"]["sub"], admin_id.as_str());
    let id = claims(tokens.id_token.as_deref().unwrap());
    assert_eq!(id["sub"], s.olga.as_str());
    assert_eq!(id["act"]["sub"], admin_id.as_str());

    // Two refreshes keep sub and act.
    let mut refresh_token = tokens.refresh_token.clone().unwrap();
    for i in 1..=2 {
        let again = s
            .engine
            .token(&s.app, &refresh(&refresh_token), Timestamp(T0.0 + i))
            .await
            .unwrap();
        let c = claims(&again.access_token);
        assert_eq!(c["sub"], s.olga.as_str());
        assert_eq!(c["act"]["sub"], admin_id.as_str());
        refresh_token = again.refresh_token.unwrap();
    }

    // Introspection shows act as the RFC 8693 object; the bearer principal keeps the actor.
    let answer = s
        .engine
        .introspect(&s.app, &tokens.access_token, T0)
        .await
        .unwrap();
    assert_eq!(answer["active"], true);
    assert_eq!(
        answer["act"],
        serde_json::json!({ "sub": admin_id.as_str() })
    );
    let bearer = s
        .engine
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .unwrap();
    let principal = s.engine.principal_from_bearer(&bearer).unwrap();
    assert_eq!(principal.actor(), Some(&admin_id));
}

#[tokio::test]
async fn stopping_revokes_everything_minted_under_it_and_gives_the_console_back() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    // The Console is not the impersonated user's.
    assert!(s.engine.console_admin(&olga).await.is_err());
    let code = code_for(&s.engine, &s.app, &olga, T0).await;
    let tokens = s.engine.token(&s.app, &redeem(&code), T0).await.unwrap();

    let later = Timestamp(T0.0 + 60);
    let stopped = s.engine.stop_impersonating(&olga, later).await.unwrap();
    assert_eq!(stopped.as_ref(), Some(&s.olga));

    let introspected = s
        .engine
        .introspect(&s.app, &tokens.access_token, later)
        .await
        .unwrap();
    assert_eq!(introspected, serde_json::json!({ "active": false }));
    let refreshed = s
        .engine
        .token(
            &s.app,
            &refresh(tokens.refresh_token.as_deref().unwrap()),
            later,
        )
        .await;
    assert_eq!(refreshed.unwrap_err().code, "invalid_grant");
    // My Account's impersonated sign-in is gone too.
    assert!(s.engine.portal_scope(&olga, MY_ACCOUNT_APP).await.is_err());

    // The administrator's own session, Console included, without signing in again.
    let back = s.session(later).await;
    assert_eq!(back.user_id(), s.admin.principal().user_id());
    assert_eq!(back.actor(), None);
    s.engine.console_admin(&back).await.expect("Console again");

    let history = s
        .engine
        .impersonation_history(&s.admin, &s.olga)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    let record = &history[0];
    assert_eq!(record.impersonator_id, *s.admin.principal().user_id());
    assert_eq!(record.subject_username.as_deref(), Some("olga"));
    assert_eq!(record.started_at, T0);
    assert_eq!(record.ended_at, Some(later));
    assert_eq!(record.end_reason, Some(EndReason::Stopped));
    assert_eq!(record.applications.len(), 2, "{:?}", record.applications);
    assert!(record.applications.contains(&"My Account".to_owned()));
    assert!(record.applications.contains(&s.app.name));
}

#[tokio::test]
async fn the_time_limit_ends_the_impersonation_and_its_tokens_by_the_clock() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    let code = code_for(&s.engine, &s.app, &olga, T0).await;
    let tokens = s.engine.token(&s.app, &redeem(&code), T0).await.unwrap();

    // Just before the limit everything works; at the limit nothing does, before any purge runs.
    let before = Timestamp(T0.0 + 3599);
    let at = Timestamp(T0.0 + 3600);
    assert!(s
        .engine
        .authenticate_bearer(&tokens.access_token, before)
        .await
        .is_ok());
    assert_eq!(
        s.engine
            .introspect(&s.app, &tokens.access_token, at)
            .await
            .unwrap(),
        serde_json::json!({ "active": false })
    );
    let refreshed = s
        .engine
        .token(
            &s.app,
            &refresh(tokens.refresh_token.as_deref().unwrap()),
            at,
        )
        .await;
    assert_eq!(refreshed.unwrap_err().code, "invalid_grant");

    // The session is the administrator's again, and the record says why it ended, and when.
    let back = s.session(at).await;
    assert_eq!(back.actor(), None);
    assert_eq!(back.user_id(), s.admin.principal().user_id());
    let record = &s
        .engine
        .impersonation_history(&s.admin, &s.olga)
        .await
        .unwrap()[0];
    assert_eq!(record.end_reason, Some(EndReason::TimeLimit));
    assert_eq!(record.ended_at, Some(at));
}

#[tokio::test]
async fn the_purge_ends_impersonations_over_their_limit() {
    let s = setup().await;
    s.impersonate_olga().await;
    s.engine
        .purge_expired_sessions(Timestamp(T0.0 + 4000))
        .await
        .unwrap();
    let record = &s
        .engine
        .impersonation_history(&s.admin, &s.olga)
        .await
        .unwrap()[0];
    assert_eq!(record.end_reason, Some(EndReason::TimeLimit));
    assert_eq!(record.ended_at, Some(Timestamp(T0.0 + 3600)));
}

#[tokio::test]
async fn signing_out_ends_the_impersonation_revokes_its_tokens_even_offline_ones_and_keeps_the_admin_signed_in(
) {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    let mut params = crate::oauth::code_request(&s.app);
    params.scope = Some("openid offline_access".into());
    let req = s
        .engine
        .validate_authorization_request(&params)
        .await
        .unwrap();
    let step = s
        .engine
        .authorize(
            &req,
            Some(&olga),
            engine::oauth::authorize::ConsentAnswer::NotAsked,
            T0,
        )
        .await
        .unwrap();
    let engine::oauth::authorize::AuthorizeStep::Redirect(location) = step else {
        panic!("{step:?}")
    };
    let code = crate::oauth::query_param(&location, "code").unwrap();
    let tokens = s.engine.token(&s.app, &redeem(&code), T0).await.unwrap();
    assert!(tokens.scope.contains("offline_access"));

    let signed_out = s.engine.sign_out(&s.admin_token, T0).await.unwrap();
    assert_eq!(signed_out, engine::sessions::SignedOut::Impersonation);
    // The administrator's own session stays, Console included.
    let back = s.session(T0).await;
    assert_eq!(back.actor(), None);
    s.engine.console_admin(&back).await.expect("Console again");
    let answer: Value = s
        .engine
        .introspect(&s.app, tokens.refresh_token.as_deref().unwrap(), T0)
        .await
        .unwrap();
    assert_eq!(answer["active"], false);
    let record = &s
        .engine
        .impersonation_history(&s.admin, &s.olga)
        .await
        .unwrap()[0];
    assert_eq!(record.end_reason, Some(EndReason::SignedOut));
}

#[tokio::test]
async fn locking_the_user_ends_the_impersonation() {
    let s = setup().await;
    s.impersonate_olga().await;
    s.engine
        .set_user_status(&s.admin, &s.olga, engine::users::UserStatus::Locked, T0)
        .await
        .unwrap();
    let back = s.session(T0).await;
    assert_eq!(back.actor(), None);
    let record = &s
        .engine
        .impersonation_history(&s.admin, &s.olga)
        .await
        .unwrap()[0];
    assert_eq!(record.end_reason, Some(EndReason::AccountChanged));
}
