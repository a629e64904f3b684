//! Step-up before an impersonation starts: a sign-in (or a confirmation) within the organization's
//! window, with the second factor when the impersonator has one or when the policy always asks —
//! on the Console's path, the subject token's and the token exchange's.

use crate::harness::*;
use crate::impersonation_fixture::{
    authorize_step, fragment_param, setup, subject_token_request, Setup,
};
use crate::organization_fixture::refusal;
use engine::ceiling::refusals::Refusal;
use engine::factors::confirm::Confirmation;
use engine::factors::totp::{code_at_step, from_base32, step_at};
use engine::impersonation::policy::{ImpersonationPolicy, StepUpFactor};
use engine::oauth::authorize::AuthorizeStep;
use engine::oauth::token::TokenParams;
use engine::Timestamp;

fn at(secs: i64) -> Timestamp {
    Timestamp(T0.0 + secs)
}

/// The Console's decision as a request at `now` makes it: the caller established from the session.
async fn console_refusal(s: &Setup, now: Timestamp) -> Option<Refusal> {
    let admin = s.engine.console_admin(&s.session(now).await).await.unwrap();
    match s
        .engine
        .may_impersonate_from_console(&admin, &s.olga, now)
        .await
    {
        Ok(()) => None,
        Err(e) => Some(refusal(e)),
    }
}

async fn confirm(
    s: &Setup,
    password: &str,
    code: Option<&str>,
    now: Timestamp,
) -> engine::Result<()> {
    s.engine
        .confirm_identity(
            &s.session(now).await,
            Confirmation {
                password,
                code,
                client_addr: "192.0.2.3",
            },
            now,
        )
        .await
}

async fn subject_token_step(s: &Setup, now: Timestamp) -> String {
    match authorize_step(
        &s.engine,
        &subject_token_request(s),
        &s.session(now).await,
        now,
    )
    .await
    {
        AuthorizeStep::Redirect(url) => url,
        other => panic!("expected a redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn an_impersonation_starts_only_within_the_window_after_proving_who_one_is() {
    let s = setup().await;
    // Signed in at T0: five minutes by default.
    assert_eq!(console_refusal(&s, at(300)).await, None);
    assert_eq!(
        console_refusal(&s, at(301)).await,
        Some(Refusal::StepUpRequired)
    );
    let e = s
        .engine
        .impersonate_from_console(
            &s.admin,
            &s.olga,
            &engine::impersonation::Justification::default(),
            at(301),
        )
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::StepUpRequired);
    // The API says what to do: sign in again.
    let url = subject_token_step(&s, at(301)).await;
    assert!(url.contains("error=login_required"), "{url}");

    // A wrong password changes nothing; the right one opens the window again.
    let wrong = confirm(&s, "not-it", None, at(400)).await.unwrap_err();
    assert_eq!(field_errors(wrong)[0].0, "password");
    assert_eq!(
        console_refusal(&s, at(401)).await,
        Some(Refusal::StepUpRequired)
    );
    confirm(&s, ADMIN_PASSWORD, None, at(400)).await.unwrap();
    assert_eq!(console_refusal(&s, at(401)).await, None);
    assert!(subject_token_step(&s, at(401))
        .await
        .contains("subject_token="));

    // An organization may widen the window, or turn the step-up off.
    for (minutes, refused) in [(60, None), (0, None), (1, Some(Refusal::StepUpRequired))] {
        s.engine
            .update_impersonation_policy(
                &s.admin,
                ImpersonationPolicy {
                    step_up_minutes: minutes,
                    step_up_second_factor: StepUpFactor::IfEnrolled,
                    ..ImpersonationPolicy::default()
                },
                at(401),
            )
            .await
            .unwrap();
        assert_eq!(
            console_refusal(&s, at(1000)).await,
            refused,
            "{minutes} minutes"
        );
    }
    let bad = s
        .engine
        .update_impersonation_policy(
            &s.admin,
            ImpersonationPolicy {
                step_up_minutes: -1,
                step_up_second_factor: StepUpFactor::IfEnrolled,
                ..ImpersonationPolicy::default()
            },
            at(401),
        )
        .await
        .unwrap_err();
    assert_eq!(field_errors(bad)[0].0, "step_up_minutes");
}

#[tokio::test]
async fn with_an_authenticator_app_the_step_up_takes_its_code() {
    let s = setup().await;
    let me = s.session(T0).await;
    let setup_app = s.engine.begin_authenticator_app(&me, T0).await.unwrap();
    let secret = from_base32(&setup_app.secret).unwrap();
    s.engine
        .confirm_authenticator_app(&me, &code_at_step(&secret, step_at(T0.0)), T0)
        .await
        .unwrap();
    // Signed in with the password alone, before the app existed: not enough now.
    assert_eq!(
        console_refusal(&s, at(10)).await,
        Some(Refusal::StepUpRequired)
    );
    let missing = confirm(&s, ADMIN_PASSWORD, None, at(60)).await.unwrap_err();
    assert_eq!(field_errors(missing)[0].0, "code");
    let code = code_at_step(&secret, step_at(at(60).0));
    confirm(&s, ADMIN_PASSWORD, Some(&code), at(60))
        .await
        .unwrap();
    assert_eq!(console_refusal(&s, at(61)).await, None);
    // The code counted once.
    let reused = confirm(&s, ADMIN_PASSWORD, Some(&code), at(61))
        .await
        .unwrap_err();
    assert_eq!(field_errors(reused)[0].0, "code");
}

#[tokio::test]
async fn a_policy_that_always_asks_for_a_second_factor_refuses_impersonators_without_one() {
    let s = setup().await;
    s.engine
        .update_impersonation_policy(
            &s.admin,
            ImpersonationPolicy {
                step_up_minutes: 5,
                step_up_second_factor: StepUpFactor::Always,
                ..ImpersonationPolicy::default()
            },
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        console_refusal(&s, T0).await,
        Some(Refusal::SecondFactorNeeded)
    );
    let url = subject_token_step(&s, T0).await;
    assert!(url.contains("error=access_denied"), "{url}");
}

#[tokio::test]
async fn the_exchange_judges_the_step_up_when_the_subject_token_was_issued() {
    let s = setup().await;
    let location = subject_token_step(&s, at(299)).await;
    let params = TokenParams {
        grant_type: Some("urn:ietf:params:oauth:grant-type:token-exchange".into()),
        subject_token: fragment_param(&location, "subject_token"),
        subject_token_type: Some("urn:ietf:params:oauth:token-type:jwt".into()),
        actor_token: fragment_param(&location, "id_token"),
        actor_token_type: Some("urn:ietf:params:oauth:token-type:id_token".into()),
        scope: Some("openid internal_login".into()),
        ..TokenParams::default()
    };
    // Issued inside the window: exchanged after it, the impersonation still starts.
    s.engine.token(&s.app, &params, at(330)).await.unwrap();

    // A stricter policy in between is the one that decides.
    let s = setup().await;
    let location = subject_token_step(&s, at(10)).await;
    s.engine
        .update_impersonation_policy(
            &s.admin,
            ImpersonationPolicy {
                step_up_minutes: 5,
                step_up_second_factor: StepUpFactor::Always,
                ..ImpersonationPolicy::default()
            },
            at(11),
        )
        .await
        .unwrap();
    let params = TokenParams {
        subject_token: fragment_param(&location, "subject_token"),
        actor_token: fragment_param(&location, "id_token"),
        ..params
    };
    let e = s.engine.token(&s.app, &params, at(20)).await.unwrap_err();
    assert_eq!(e.code.as_str(), "access_denied", "{e:?}");
}
