//! Two-step verification: an authenticator app guards the sign-in with single-use codes, recovery
//! codes work once, wrong codes are throttled apart from passwords, `amr` says what was used,
//! nobody impersonating touches the factors, and administrators see and reset them (audited).

use crate::harness::*;
use crate::impersonation_fixture::setup;
use crate::oauth::{code_for, redeem, register};
use engine::applications::{ClientType, GrantType};
use engine::ceiling::refusals::Sensitive;
use engine::factors::sign_in::SecondStep;
use engine::factors::totp::{code_at_step, from_base32, step_at, STEP_SECS};
use engine::factors::SignInMethod;
use engine::sessions::{NewSession, SignIn, SignInStep};
use engine::{Engine, Error, Timestamp};

const OLGA_PASSWORD: &str = "olga-password";

async fn password_step(engine: &Engine, now: Timestamp) -> engine::Result<SignInStep> {
    engine
        .sign_in(
            SignIn {
                organization: None,
                username: "olga",
                password: OLGA_PASSWORD,
                client_addr: "192.0.2.7",
                previous_token: None,
                answering: None,
                application: None,
                request: None,
            },
            now,
        )
        .await
}

async fn answer(
    engine: &Engine,
    challenge: &str,
    code: &str,
    now: Timestamp,
) -> engine::Result<NewSession> {
    engine
        .complete_sign_in(
            SecondStep {
                challenge,
                code,
                client_addr: "192.0.2.7",
                previous_token: None,
                request: None,
            },
            now,
        )
        .await
}

/// The challenge of a sign-in that must ask for a code.
async fn challenge(engine: &Engine, now: Timestamp) -> String {
    match password_step(engine, now).await.unwrap() {
        SignInStep::SecondFactor(due) => due.token.expose().to_owned(),
        SignInStep::Session(_) => panic!("signed in without a second factor"),
    }
}

/// Olga, with an authenticator app added at T0: her secret and recovery codes.
async fn olga_with_app(engine: &Engine) -> (Vec<u8>, Vec<String>) {
    let admin = admin(engine).await;
    engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap();
    let olga = sign_in(engine, "olga", OLGA_PASSWORD).await.unwrap();
    let setup = engine
        .begin_authenticator_app(&olga.principal, T0)
        .await
        .unwrap();
    assert!(setup.uri.starts_with("otpauth://totp/Guise%3Aolga?secret="));
    assert!(setup.qr_svg.starts_with("<svg"));
    let secret = from_base32(&setup.secret).unwrap();
    // Not yet confirmed: it guards nothing.
    assert!(matches!(
        password_step(engine, T0).await.unwrap(),
        SignInStep::Session(_)
    ));
    let wrong = engine
        .confirm_authenticator_app(&olga.principal, "000000", T0)
        .await;
    if code_at_step(&secret, step_at(T0.0)) != "000000" {
        assert_eq!(field_errors(wrong.unwrap_err())[0].0, "code");
    }
    let codes = engine
        .confirm_authenticator_app(&olga.principal, &code_at_step(&secret, step_at(T0.0)), T0)
        .await
        .unwrap();
    (secret, codes)
}

fn later(secs: i64) -> Timestamp {
    Timestamp(T0.0 + secs)
}

#[tokio::test]
async fn an_authenticator_app_guards_the_sign_in_with_codes_that_count_once() {
    let engine = engine().await;
    let (secret, codes) = olga_with_app(&engine).await;
    assert_eq!(codes.len(), 10);

    // The code confirmed at enrolment does not count again.
    let at = later(10);
    let c = challenge(&engine, at).await;
    let reused = answer(&engine, &c, &code_at_step(&secret, step_at(T0.0)), at).await;
    assert_eq!(field_errors(reused.unwrap_err())[0].0, "code");

    // The next step's code signs in; the session says a second factor was used.
    let at = later(STEP_SECS);
    let code = code_at_step(&secret, step_at(at.0));
    let session = answer(&engine, &c, &code, at).await.unwrap();
    assert_eq!(
        session.principal.sign_in_method(),
        Some(SignInMethod::PasswordAndOneTimeCode)
    );
    let again = engine
        .authenticate(session.token.expose(), at)
        .await
        .unwrap();
    assert_eq!(
        again.sign_in_method(),
        Some(SignInMethod::PasswordAndOneTimeCode)
    );
    // The challenge is spent, and the same code does not count on a new one.
    assert!(matches!(
        answer(&engine, &c, &code, at).await,
        Err(Error::Unauthenticated)
    ));
    let c2 = challenge(&engine, at).await;
    assert_eq!(
        field_errors(answer(&engine, &c2, &code, at).await.unwrap_err())[0].0,
        "code"
    );

    // A recovery code, however typed, works once.
    let sloppy = codes[3].to_lowercase().replace('-', " ");
    answer(&engine, &c2, &sloppy, at).await.unwrap();
    let c3 = challenge(&engine, at).await;
    assert_eq!(
        field_errors(answer(&engine, &c3, &codes[3], at).await.unwrap_err())[0].0,
        "code"
    );
    let factors = engine.my_second_factors(&session.principal).await.unwrap();
    assert_eq!(factors.recovery_codes_left, 9);

    // A challenge lasts five minutes.
    let late = later(STEP_SECS + 301);
    let code = code_at_step(&secret, step_at(late.0));
    assert!(matches!(
        answer(&engine, &c3, &code, late).await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        answer(&engine, "no-such-challenge", &code, at).await,
        Err(Error::Unauthenticated)
    ));
}

#[tokio::test]
async fn wrong_codes_are_throttled_and_a_right_password_buys_no_more_guesses() {
    let engine = engine().await;
    let (secret, _) = olga_with_app(&engine).await;
    let at = later(60);
    let c = challenge(&engine, at).await;
    let right = code_at_step(&secret, step_at(at.0));
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    for _ in 0..6 {
        assert!(matches!(
            answer(&engine, &c, wrong, at).await,
            Err(Error::Invalid(_))
        ));
    }
    assert!(matches!(
        answer(&engine, &c, &right, at).await,
        Err(Error::Throttled { .. })
    ));
    // The password again: right, but the code's count stands.
    let c2 = challenge(&engine, at).await;
    assert!(matches!(
        answer(&engine, &c2, &right, at).await,
        Err(Error::Throttled { .. })
    ));
    // Once the block has passed, the right code signs in.
    let after = later(62);
    answer(
        &engine,
        &c2,
        &code_at_step(&secret, step_at(after.0)),
        after,
    )
    .await
    .unwrap();
    let failures = count(
        &engine,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'Sign-In' AND outcome = 'Failure'",
    )
    .await;
    assert!(failures >= 8, "every refused code is audited: {failures}");
}

#[tokio::test]
async fn the_id_token_says_which_methods_signed_in() {
    let engine = engine().await;
    let (secret, _) = olga_with_app(&engine).await;
    let (app, _) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode],
    )
    .await;
    let at = later(60);
    let session = sign_in_with_app(&engine, &secret, at).await;
    let code = code_for(&engine, &app, &session.principal, at).await;
    let tokens = engine.token(&app, &redeem(&code), at).await.unwrap();
    assert_eq!(amr_of(&tokens.id_token.unwrap()), ["pwd", "otp", "mfa"]);

    // The administrator, with the password alone.
    let admin = sign_in(&engine, ADMIN, ADMIN_PASSWORD).await.unwrap();
    let code = code_for(&engine, &app, &admin.principal, at).await;
    let tokens = engine.token(&app, &redeem(&code), at).await.unwrap();
    assert_eq!(amr_of(&tokens.id_token.unwrap()), ["pwd"]);
}

fn amr_of(id_token: &str) -> Vec<String> {
    use base64::Engine as _;
    let payload = id_token.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    serde_json::from_value(claims["amr"].clone()).unwrap()
}

#[tokio::test]
async fn nobody_impersonating_adds_removes_or_renews_the_users_factors() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    let refused = |e: Error| matches!(e, Error::NotWhileImpersonating(Sensitive::SecondFactors));
    assert!(refused(
        s.engine
            .begin_authenticator_app(&olga, T0)
            .await
            .unwrap_err()
    ));
    assert!(refused(
        s.engine
            .confirm_authenticator_app(&olga, "123456", T0)
            .await
            .unwrap_err()
    ));
    assert!(refused(
        s.engine
            .renew_my_recovery_codes(&olga, T0)
            .await
            .unwrap_err()
    ));
    assert!(refused(
        s.engine
            .remove_my_authenticator_app(&olga, OLGA_PASSWORD, T0)
            .await
            .unwrap_err()
    ));
}

#[tokio::test]
async fn removing_the_app_takes_the_password_and_the_codes_go_with_it() {
    let engine = engine().await;
    let (secret, _) = olga_with_app(&engine).await;
    let olga = sign_in_with_app(&engine, &secret, later(30)).await;
    let wrong = engine
        .remove_my_authenticator_app(&olga.principal, "not-the-password", T0)
        .await;
    assert_eq!(field_errors(wrong.unwrap_err())[0].0, "password");
    engine
        .remove_my_authenticator_app(&olga.principal, OLGA_PASSWORD, later(60))
        .await
        .unwrap();
    let factors = engine.my_second_factors(&olga.principal).await.unwrap();
    assert_eq!(factors, Default::default());
    assert!(matches!(
        password_step(&engine, later(61)).await.unwrap(),
        SignInStep::Session(_)
    ));
    let removed = count(
        &engine,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'Remove-Authenticator-App'",
    )
    .await;
    assert_eq!(removed, 1);
}

/// Olga signed in with her app's code at `at`.
async fn sign_in_with_app(engine: &Engine, secret: &[u8], at: Timestamp) -> NewSession {
    let c = challenge(engine, at).await;
    answer(engine, &c, &code_at_step(secret, step_at(at.0)), at)
        .await
        .unwrap()
}

#[tokio::test]
async fn administrators_see_and_reset_a_users_factors() {
    let engine = engine().await;
    let (secret, _) = olga_with_app(&engine).await;
    let admin = admin(&engine).await;
    let olga_id = sign_in_with_app(&engine, &secret, later(30))
        .await
        .principal
        .user_id()
        .clone();
    let seen = engine.user_second_factors(&admin, &olga_id).await.unwrap();
    assert_eq!(seen.authenticator_app_since, Some(T0));
    assert_eq!(seen.recovery_codes_left, 10);
    let overview = engine.user_overview(&admin, &olga_id, T0).await.unwrap();
    assert_eq!(overview.second_factors, seen);

    engine
        .reset_second_factors(&admin, &olga_id, later(5))
        .await
        .unwrap();
    assert_eq!(
        engine.user_second_factors(&admin, &olga_id).await.unwrap(),
        Default::default()
    );
    // The password alone signs in again, and a code of the old app means nothing.
    assert!(matches!(
        password_step(&engine, later(60)).await.unwrap(),
        SignInStep::Session(_)
    ));
    let audited: serde_json::Value = serde_json::from_str(
        &sqlx::query_scalar::<_, String>(
            "SELECT data FROM audit_events WHERE action = 'Reset-Second-Factors'",
        )
        .fetch_one(engine.db().pool())
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(audited["authenticatorApp"], true);
    assert_eq!(audited["recoveryCodesLeft"], 10);
}
