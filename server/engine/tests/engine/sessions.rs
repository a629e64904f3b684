use crate::harness::*;
use engine::sessions::SignIn;
use engine::users::UserStatus;
use engine::{Error, Settings};

#[tokio::test]
async fn sign_in_creates_a_session_that_authenticates() {
    let engine = engine().await;
    let session = sign_in(&engine, "ADMIN", ADMIN_PASSWORD)
        .await
        .expect("usernames are case-insensitive");
    let principal = engine
        .authenticate(session.token.expose(), T0)
        .await
        .unwrap();
    assert_eq!(principal, session.principal);
    assert_eq!(principal.username(), ADMIN);
    // Only a digest is stored.
    let stored: String = sqlx::query_scalar("SELECT id_hash FROM sessions")
        .fetch_one(engine.db().pool())
        .await
        .unwrap();
    assert_ne!(stored, session.token.expose());
}

#[tokio::test]
async fn wrong_or_unknown_credentials_are_refused_alike() {
    let engine = engine().await;
    assert!(matches!(
        sign_in(&engine, ADMIN, "wrong-password").await,
        Err(Error::InvalidCredentials)
    ));
    assert!(matches!(
        sign_in(&engine, "nobody", ADMIN_PASSWORD).await,
        Err(Error::InvalidCredentials)
    ));
    assert!(matches!(
        sign_in(&engine, ADMIN, "").await,
        Err(Error::InvalidCredentials)
    ));
}

#[tokio::test]
async fn unknown_expired_and_ended_sessions_do_not_authenticate() {
    let engine = engine().await;
    assert!(matches!(
        engine.authenticate("made-up", T0).await,
        Err(Error::Unauthenticated)
    ));
    let session = sign_in(&engine, ADMIN, ADMIN_PASSWORD).await.unwrap();
    let token = session.token.expose();
    let lifetime = Settings::default().session_lifetime_secs;
    assert!(engine
        .authenticate(token, T0.plus_secs(lifetime - 1))
        .await
        .is_ok());
    assert!(matches!(
        engine.authenticate(token, T0.plus_secs(lifetime)).await,
        Err(Error::Unauthenticated)
    ));
    engine.sign_out(token, T0).await.unwrap();
    assert!(matches!(
        engine.authenticate(token, T0).await,
        Err(Error::Unauthenticated)
    ));
    assert_eq!(engine.purge_expired_sessions(T0).await.unwrap(), 0);
}

#[tokio::test]
async fn signing_in_again_rotates_the_session() {
    let engine = engine().await;
    let first = sign_in(&engine, ADMIN, ADMIN_PASSWORD).await.unwrap();
    let second = engine
        .sign_in(
            SignIn {
                organization: None,
                username: ADMIN,
                password: ADMIN_PASSWORD,
                client_addr: "192.0.2.1",
                previous_token: Some(first.token.expose()),
                answering: None,
                application: None,
                request: None,
            },
            T0,
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
        .unwrap();
    assert_ne!(first.token, second.token);
    assert!(engine.authenticate(first.token.expose(), T0).await.is_err());
    assert!(engine.authenticate(second.token.expose(), T0).await.is_ok());
}

#[tokio::test]
async fn locked_and_disabled_users_cannot_sign_in_and_lose_their_sessions() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("carol"), T0)
        .await
        .unwrap();
    let session = sign_in(&engine, "carol", "carol-password").await.unwrap();

    engine
        .set_user_status(&admin, &user.id, UserStatus::Locked, T0)
        .await
        .unwrap();
    assert!(engine
        .authenticate(session.token.expose(), T0)
        .await
        .is_err());
    assert!(matches!(
        sign_in(&engine, "carol", "carol-password").await,
        Err(Error::AccountInactive(UserStatus::Locked))
    ));
    // A wrong password says nothing about the account's status.
    assert!(matches!(
        sign_in(&engine, "carol", "guess").await,
        Err(Error::InvalidCredentials)
    ));

    engine
        .set_user_status(&admin, &user.id, UserStatus::Disabled, T0)
        .await
        .unwrap();
    assert!(matches!(
        sign_in(&engine, "carol", "carol-password").await,
        Err(Error::AccountInactive(UserStatus::Disabled))
    ));

    engine
        .set_user_status(&admin, &user.id, UserStatus::Active, T0)
        .await
        .unwrap();
    sign_in(&engine, "carol", "carol-password").await.unwrap();
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let engine = engine().await;
    let here = sign_in(&engine, ADMIN, ADMIN_PASSWORD).await.unwrap();
    let elsewhere = sign_in(&engine, ADMIN, ADMIN_PASSWORD).await.unwrap();
    let e = engine
        .change_my_password(&here.principal, "not-it", "brand-new-password", T0)
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "current_password");
    let e = engine
        .change_my_password(&here.principal, ADMIN_PASSWORD, "short", T0)
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "new_password");

    engine
        .change_my_password(&here.principal, ADMIN_PASSWORD, "brand-new-password", T0)
        .await
        .unwrap();
    assert!(engine.authenticate(here.token.expose(), T0).await.is_ok());
    assert!(engine
        .authenticate(elsewhere.token.expose(), T0)
        .await
        .is_err());
    assert!(matches!(
        sign_in(&engine, ADMIN, ADMIN_PASSWORD).await,
        Err(Error::InvalidCredentials)
    ));
    sign_in(&engine, ADMIN, "brand-new-password").await.unwrap();
}

/// The trail's `Sign-In` events: `(initiator, target, data, outcome)`, oldest first.
async fn sign_in_events(engine: &engine::Engine) -> Vec<(String, String, String, String)> {
    sqlx::query_as(
        "SELECT initiator, target, data, outcome FROM audit_events WHERE action = 'Sign-In' ORDER BY seq",
    )
    .fetch_all(engine.db().pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn every_sign_in_attempt_is_audited_without_its_password() {
    let engine = engine().await;
    let a = admin(&engine).await;
    let olga = engine
        .create_user(&a, new_user("olga"), T0)
        .await
        .unwrap()
        .id;
    let before = sign_in_events(&engine).await.len();
    let attempt = |username: &'static str, password: &'static str| SignIn {
        organization: None,
        username,
        password,
        client_addr: "198.51.100.7",
        previous_token: None,
        answering: None,
        application: Some("Console"),
        request: None,
    };
    engine
        .sign_in(attempt("olga", "olga-password"), T0)
        .await
        .and_then(engine::sessions::SignInStep::session)
        .unwrap();
    assert!(engine
        .sign_in(attempt("olga", "wrong-password-9"), T0)
        .await
        .and_then(engine::sessions::SignInStep::session)
        .is_err());
    assert!(engine
        .sign_in(attempt("nobody", "wrong-password-9"), T0)
        .await
        .and_then(engine::sessions::SignInStep::session)
        .is_err());
    engine
        .set_user_status(&a, &olga, UserStatus::Locked, T0)
        .await
        .unwrap();
    assert!(engine
        .sign_in(attempt("olga", "olga-password"), T0)
        .await
        .and_then(engine::sessions::SignInStep::session)
        .is_err());

    let events = sign_in_events(&engine).await;
    let events = &events[before..];
    assert_eq!(events.len(), 4, "{events:#?}");
    let olga = olga.as_str();
    // Signed in: the user, from where, into what.
    assert_eq!((events[0].0.as_str(), events[0].1.as_str()), (olga, olga));
    assert_eq!(events[0].3, "Success");
    let data: serde_json::Value = serde_json::from_str(&events[0].2).unwrap();
    assert_eq!(data["address"], "198.51.100.7");
    assert_eq!(data["application"], "Console");
    assert_eq!(data["username"], "o**a");
    // A wrong password names nobody (the same words as an unknown user), masked.
    for (event, who) in [(&events[1], "o**a"), (&events[2], "n****y")] {
        assert_eq!(event.0, who);
        assert_eq!(event.3, "Failure");
        assert!(event.2.contains("invalid_credentials"), "{}", event.2);
    }
    assert_eq!(events[3].0, olga);
    assert!(events[3].2.contains("\"locked\""), "{}", events[3].2);
    for event in events {
        assert!(
            !event.2.contains("password") && !event.2.contains("wrong"),
            "{}",
            event.2
        );
    }
}
