//! The impersonation kill switch: **End all impersonation sessions** ends Console and API
//! impersonations at once and kills every token derived from them; **Pause impersonation** does the
//! same and refuses every path until resumed; the root's switch reaches every organization; each
//! use is audited, and it needs its own scope.

use crate::access::limited_admin;
use crate::harness::*;
use crate::impersonation_fixture::{authorize_step, exchanged_token, setup, subject_token_request};
use crate::organization_fixture::{org, refusal};
use engine::access::scopes;
use engine::ceiling::refusals::Refusal;
use engine::oauth::authorize::AuthorizeStep;
use engine::{Engine, Error};

async fn audited(engine: &Engine, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(engine.db().pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn ending_all_impersonations_ends_the_console_and_the_api_ones_with_their_tokens() {
    let s = setup().await;
    let exchanged = exchanged_token(&s).await.expect("the API impersonation");
    s.engine
        .authenticate_bearer(&exchanged, T0)
        .await
        .expect("live before");
    // The Console's session: the API flow already bound it to Olga, so the Console finds it.
    let olga = s.session(T0).await;
    assert_eq!(olga.user_id(), &s.olga);
    let switch = s.engine.kill_switch(&s.admin, T0).await.unwrap();
    assert_eq!(
        (switch.live, switch.everywhere, switch.paused()),
        (1, true, false)
    );

    let ended = s.engine.end_all_impersonations(&s.admin, T0).await.unwrap();
    assert_eq!(ended, 1);
    assert!(s.engine.authenticate_bearer(&exchanged, T0).await.is_err());
    let own = s.session(T0).await;
    assert_eq!(
        own.actor(),
        None,
        "the session is the administrator's own again"
    );
    assert_eq!(s.engine.kill_switch(&s.admin, T0).await.unwrap().live, 0);
    assert_eq!(audited(&s.engine, "End-All-Impersonations").await, 1);
    let reason: String = sqlx::query_scalar("SELECT end_reason FROM impersonations")
        .fetch_one(s.engine.db().pool())
        .await
        .unwrap();
    assert_eq!(reason, "ended_by_administrator");

    // Not a pause: a new impersonation starts.
    s.engine
        .impersonate_from_console(
            &s.admin,
            &s.olga,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_pause_refuses_every_path_until_resumed() {
    let s = setup().await;
    s.impersonate_olga().await;
    let switch = s
        .engine
        .set_impersonation_paused(&s.admin, true, T0)
        .await
        .unwrap();
    assert!(switch.paused_at.is_some() && switch.paused());
    assert_eq!(switch.paused_by.as_deref(), Some(ADMIN));
    assert_eq!(switch.live, 0, "pausing ends what runs");
    assert_eq!(s.session(T0).await.actor(), None);

    // The Console.
    let e = s
        .engine
        .impersonate_from_console(
            &s.admin,
            &s.olga,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::Paused);
    // The API: the subject token is refused.
    let request = subject_token_request(&s);
    match authorize_step(&s.engine, &request, &s.session(T0).await, T0).await {
        AuthorizeStep::Redirect(url) => {
            assert!(url.contains("error=access_denied"), "{url}");
            assert!(url.contains("paused"), "{url}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(exchanged_token(&s).await.is_none());

    let resumed = s
        .engine
        .set_impersonation_paused(&s.admin, false, T0)
        .await
        .unwrap();
    assert!(!resumed.paused());
    assert!(exchanged_token(&s).await.is_some());
    assert_eq!(audited(&s.engine, "Pause-Impersonation").await, 1);
    assert_eq!(audited(&s.engine, "Resume-Impersonation").await, 1);
}

#[tokio::test]
async fn the_roots_switch_reaches_every_organization_and_an_organizations_only_its_own() {
    let o = org().await;
    o.make_mia_impersonator().await;
    o.share_my_account().await;
    let (mia_token, mia) = o.mia_console().await;
    o.s.engine
        .impersonate_from_console(
            &mia,
            &o.carl,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap();
    // Sales' own switch: Sales' impersonation, nothing of the root's.
    let in_sales = o.s.engine.kill_switch(&mia, T0).await.unwrap();
    assert_eq!((in_sales.live, in_sales.everywhere), (1, false));
    o.s.engine
        .set_impersonation_paused(&mia, true, T0)
        .await
        .unwrap();
    assert_eq!(
        o.s.engine
            .authenticate(&mia_token, T0)
            .await
            .unwrap()
            .actor(),
        None
    );
    assert!(
        o.s.impersonate_olga_allowed().await,
        "the root is not paused by Sales"
    );
    o.s.engine
        .set_impersonation_paused(&mia, false, T0)
        .await
        .unwrap();

    // The root's pause: Sales too, and Sales' switch says why.
    let root = admin(&o.s.engine).await;
    o.s.engine
        .set_impersonation_paused(&root, true, T0)
        .await
        .unwrap();
    let e =
        o.s.engine
            .impersonate_from_console(
                &mia,
                &o.carl,
                &engine::impersonation::Justification::default(),
                T0,
            )
            .await
            .unwrap_err();
    assert_eq!(refusal(e), Refusal::Paused);
    let seen = o.s.engine.kill_switch(&mia, T0).await.unwrap();
    assert!(seen.paused_from_root && seen.paused_at.is_none());
}

#[tokio::test]
async fn the_switch_needs_its_own_scope() {
    let engine = engine().await;
    let helpdesk = limited_admin(
        &engine,
        "helpdesk",
        &[scopes::USER_LIST, scopes::CONFIG_UPDATE],
    )
    .await;
    for result in [
        engine.kill_switch(&helpdesk, T0).await.map(drop),
        engine.end_all_impersonations(&helpdesk, T0).await.map(drop),
        engine
            .set_impersonation_paused(&helpdesk, true, T0)
            .await
            .map(drop),
    ] {
        assert!(
            matches!(result, Err(Error::Forbidden(s)) if s == scopes::IMPERSONATION_KILL_SWITCH),
            "{result:?}"
        );
    }
}
