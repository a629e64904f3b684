//! Reason and ticket: an organization that requires them refuses an impersonation without them
//! (a field error in the Console, `invalid_request` over the API), checks the ticket id's shape,
//! and keeps what was given with the impersonation, in its audit event, the user's email and both
//! activity views.

use crate::harness::*;
use crate::impersonation_fixture::{
    authorize_step, fragment_param, setup, subject_token_request, Setup,
};
use engine::impersonation::policy::{ImpersonationPolicy, ReasonPolicy};
use engine::impersonation::Justification;
use engine::oauth::authorize::{AuthorizeParams, AuthorizeStep};
use engine::oauth::token::TokenParams;
use engine::Timestamp;

async fn require_reason(s: &Setup, pattern: Option<&str>) {
    s.engine
        .update_impersonation_policy(
            &s.admin,
            ImpersonationPolicy {
                reason: ReasonPolicy::Required,
                ticket_pattern: pattern.map(str::to_owned),
                ..ImpersonationPolicy::default()
            },
            T0,
        )
        .await
        .unwrap();
}

fn fields(e: engine::Error) -> Vec<&'static str> {
    field_errors(e).into_iter().map(|(f, _)| f).collect()
}

#[tokio::test]
async fn the_console_asks_for_the_reason_and_keeps_it_everywhere_the_impersonation_shows() {
    let s = setup().await;
    require_reason(&s, Some("SUP-[0-9]+")).await;
    let start = |j: Justification| {
        let s = &s;
        async move {
            s.engine
                .impersonate_from_console(&s.admin, &s.olga, &j, T0)
                .await
        }
    };
    let e = start(Justification::new(Some(" "), None))
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["reason", "ticket"]);
    let e = start(Justification::new(Some("Billing"), Some("12")))
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["ticket"]);
    // Offered all the same: the form asks before the start decides.
    s.engine
        .may_impersonate_from_console(&s.admin, &s.olga, T0)
        .await
        .unwrap();
    start(Justification::new(
        Some("Fix the billing address"),
        Some("SUP-12"),
    ))
    .await
    .unwrap();

    let records = s
        .engine
        .impersonation_history(&s.admin, &s.olga)
        .await
        .unwrap();
    assert_eq!(
        records[0].reason.as_deref(),
        Some("Fix the billing address")
    );
    assert_eq!(records[0].ticket.as_deref(), Some("SUP-12"));
    let data: String =
        sqlx::query_scalar("SELECT data FROM audit_events WHERE action = 'Impersonation-Started'")
            .fetch_one(s.engine.db().pool())
            .await
            .unwrap();
    assert!(
        data.contains("Fix the billing address") && data.contains("SUP-12"),
        "{data}"
    );
    let body: String = sqlx::query_scalar("SELECT body FROM outbox")
        .fetch_one(s.engine.db().pool())
        .await
        .unwrap();
    assert!(
        body.contains("Reason given: Fix the billing address (ticket SUP-12)"),
        "{body}"
    );
    // The user's own Account activity.
    s.engine
        .stop_impersonating(&s.session(T0).await, T0)
        .await
        .unwrap();
    let olga = sign_in(&s.engine, "olga", "olga-password").await.unwrap();
    let activity = s.engine.account_activity(&olga.principal).await.unwrap();
    assert_eq!(
        activity[0].record.reason.as_deref(),
        Some("Fix the billing address")
    );
}

fn subject_request(s: &Setup, reason: Option<&str>, ticket: Option<&str>) -> AuthorizeParams {
    AuthorizeParams {
        impersonation_reason: reason.map(str::to_owned),
        impersonation_ticket: ticket.map(str::to_owned),
        ..subject_token_request(s)
    }
}

async fn redirect(s: &Setup, params: &AuthorizeParams) -> String {
    match authorize_step(&s.engine, params, &s.session(T0).await, T0).await {
        AuthorizeStep::Redirect(url) => url,
        other => panic!("expected a redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn the_api_takes_them_as_authorization_parameters_and_refuses_without_them() {
    let s = setup().await;
    require_reason(&s, Some("SUP-[0-9]+")).await;
    let refused = redirect(&s, &subject_request(&s, None, None)).await;
    assert!(refused.contains("error=invalid_request"), "{refused}");
    assert!(fragment_param(&refused, "error_description")
        .unwrap()
        .contains("requires a reason"));
    let refused = redirect(&s, &subject_request(&s, Some("Billing"), Some("nope"))).await;
    assert!(refused.contains("error=invalid_request"), "{refused}");

    let location = redirect(&s, &subject_request(&s, Some("Billing"), Some("SUP-7"))).await;
    let params = TokenParams {
        grant_type: Some("urn:ietf:params:oauth:grant-type:token-exchange".into()),
        subject_token: fragment_param(&location, "subject_token"),
        subject_token_type: Some("urn:ietf:params:oauth:token-type:jwt".into()),
        actor_token: fragment_param(&location, "id_token"),
        actor_token_type: Some("urn:ietf:params:oauth:token-type:id_token".into()),
        scope: Some("openid internal_login".into()),
        ..TokenParams::default()
    };
    s.engine.token(&s.app, &params, T0).await.unwrap();
    let records = s
        .engine
        .impersonation_history(&s.admin, &s.olga)
        .await
        .unwrap();
    assert_eq!(
        (records[0].reason.as_deref(), records[0].ticket.as_deref()),
        (Some("Billing"), Some("SUP-7"))
    );
}

#[tokio::test]
async fn a_ticket_pattern_must_be_a_regular_expression() {
    let s = setup().await;
    let e = s
        .engine
        .update_impersonation_policy(
            &s.admin,
            ImpersonationPolicy {
                ticket_pattern: Some("SUP-[".into()),
                ..ImpersonationPolicy::default()
            },
            T0,
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["ticket_pattern"]);
}

#[tokio::test]
async fn an_organization_may_shorten_the_hard_limit_never_lengthen_it() {
    let s = setup().await;
    let set = |minutes: Option<i64>| {
        let s = &s;
        async move {
            s.engine
                .update_impersonation_policy(
                    &s.admin,
                    ImpersonationPolicy {
                        hard_limit_minutes: minutes,
                        ..ImpersonationPolicy::default()
                    },
                    T0,
                )
                .await
        }
    };
    // The deployment's is an hour in the tests' settings.
    for bad in [Some(0), Some(61)] {
        assert_eq!(fields(set(bad).await.unwrap_err()), ["hard_limit_minutes"]);
    }
    set(Some(10)).await.unwrap();
    let started = s
        .engine
        .impersonate_from_console(&s.admin, &s.olga, &Justification::default(), T0)
        .await
        .unwrap();
    assert_eq!(started.impersonating.expires_at().0, T0.0 + 600);
    // At the limit it ends: the session is the administrator's own again.
    assert_eq!(s.session(Timestamp(T0.0 + 600)).await.actor(), None);
}
