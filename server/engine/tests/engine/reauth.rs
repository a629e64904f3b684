//! `prompt=login` and `max_age`: a code needs a sign-in made after the request asked for one, and
//! nothing the browser carries can stand in for that sign-in.

use crate::harness::*;
use crate::oauth::{code_request, olga_and_app, register, Olga};
use engine::applications::{Application, ClientType, GrantType};
use engine::oauth::authorize::{AuthorizeParams, AuthorizeStep, ConsentAnswer};
use engine::oauth::reauth::REAUTH_LIFETIME_SECS;
use engine::sessions::{NewSession, Principal, SignIn};
use engine::{Engine, Timestamp};

/// The next step for `params` (consenting when asked).
async fn step(
    engine: &Engine,
    params: &AuthorizeParams,
    who: Option<&Principal>,
    now: Timestamp,
) -> AuthorizeStep {
    let req = engine.validate_authorization_request(params).await.unwrap();
    let step = engine
        .authorize(&req, who, ConsentAnswer::NotAsked, now)
        .await
        .unwrap();
    match step {
        AuthorizeStep::Consent { .. } => engine
            .authorize(&req, who, ConsentAnswer::Allow, now)
            .await
            .unwrap(),
        other => other,
    }
}

/// The id the browser is sent to sign in with; panics on any other step.
fn sign_in_demand(step: AuthorizeStep) -> String {
    match step {
        AuthorizeStep::SignIn { reauth: Some(id) } => id,
        other => panic!("expected to be sent to sign in again, got {other:?}"),
    }
}

fn is_code(step: &AuthorizeStep) -> bool {
    matches!(step, AuthorizeStep::Redirect(to) if to.contains("code="))
}

fn with(
    app: &Application,
    prompt: Option<&str>,
    max_age: Option<&str>,
    id: Option<&str>,
) -> AuthorizeParams {
    AuthorizeParams {
        prompt: prompt.map(str::to_owned),
        max_age: max_age.map(str::to_owned),
        guise_reauth: id.map(str::to_owned),
        ..code_request(app)
    }
}

/// Olga signs in again in the same browser, answering the demand `answering` when the login form
/// came with one.
async fn sign_in_at(
    engine: &Engine,
    previous: &NewSession,
    answering: Option<&str>,
    now: Timestamp,
) -> NewSession {
    engine
        .sign_in(
            SignIn {
                organization: None,
                username: "olga",
                password: "olga-password",
                client_addr: "192.0.2.1",
                previous_token: Some(previous.token.expose()),
                answering,
                application: None,
                request: None,
            },
            now,
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
        .unwrap()
}

#[tokio::test]
async fn prompt_login_needs_a_sign_in_after_the_request_and_nothing_forged_replaces_it() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let old = &session.principal;
    let asked = Timestamp(T0.0 + 100);

    let id = sign_in_demand(
        step(
            &engine,
            &with(&app, Some("login"), None, None),
            Some(old),
            asked,
        )
        .await,
    );
    // Made-up, empty or numeric ids (the old `guise_auth_after=0` trick) prove nothing.
    for forged in ["forged", "", "0"] {
        let again = step(
            &engine,
            &with(&app, Some("login"), None, Some(forged)),
            Some(old),
            asked,
        )
        .await;
        assert_ne!(sign_in_demand(again), forged);
    }
    // The real id with the old session: still no code, and the same demand stands.
    let again = step(
        &engine,
        &with(&app, Some("login"), None, Some(&id)),
        Some(old),
        asked,
    )
    .await;
    assert_eq!(sign_in_demand(again), id);

    // A sign-in after the request satisfies it, once.
    let fresh = sign_in_at(&engine, &session, Some(&id), Timestamp(asked.0 + 5)).await;
    let back = with(&app, Some("login"), None, Some(&id));
    let issued = step(
        &engine,
        &back,
        Some(&fresh.principal),
        Timestamp(asked.0 + 6),
    )
    .await;
    assert!(is_code(&issued), "{issued:?}");
    let reused = step(
        &engine,
        &back,
        Some(&fresh.principal),
        Timestamp(asked.0 + 7),
    )
    .await;
    assert_ne!(sign_in_demand(reused), id, "the demand was used up");
}

#[tokio::test]
async fn a_demand_holds_only_for_its_application_and_its_lifetime() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let (other, _) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode],
    )
    .await;
    let asked = Timestamp(T0.0 + 100);
    let id = sign_in_demand(
        step(
            &engine,
            &with(&other, Some("login"), None, None),
            None,
            asked,
        )
        .await,
    );
    let fresh = sign_in_at(&engine, &session, Some(&id), Timestamp(asked.0 + 1)).await;
    // Another application's demand does not count here...
    let foreign = step(
        &engine,
        &with(&app, Some("login"), None, Some(&id)),
        Some(&fresh.principal),
        Timestamp(asked.0 + 2),
    )
    .await;
    assert_ne!(sign_in_demand(foreign), id);
    // ...nor its own once the way back has closed.
    let late = Timestamp(asked.0 + REAUTH_LIFETIME_SECS + 1);
    let expired = step(
        &engine,
        &with(&other, Some("login"), None, Some(&id)),
        Some(&fresh.principal),
        late,
    )
    .await;
    assert_ne!(sign_in_demand(expired), id);
}

#[tokio::test]
async fn max_age_sends_old_sessions_to_sign_in_and_lets_the_fresh_one_through() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let hour_later = Timestamp(T0.0 + 3600);
    // Within max_age: a code at once.
    let recent = step(
        &engine,
        &with(&app, None, Some("7200"), None),
        Some(&session.principal),
        hour_later,
    )
    .await;
    assert!(is_code(&recent), "{recent:?}");
    // max_age=0: the session is too old; signing in and coming back a few seconds later gets the
    // code (the demand, not the clock, decides, so the browser does not loop).
    let id = sign_in_demand(
        step(
            &engine,
            &with(&app, None, Some("0"), None),
            Some(&session.principal),
            hour_later,
        )
        .await,
    );
    let fresh = sign_in_at(&engine, &session, Some(&id), Timestamp(hour_later.0 + 2)).await;
    let back = step(
        &engine,
        &with(&app, None, Some("0"), Some(&id)),
        Some(&fresh.principal),
        Timestamp(hour_later.0 + 4),
    )
    .await;
    assert!(is_code(&back), "{back:?}");
}

#[tokio::test]
async fn a_demand_counts_only_for_the_sign_in_that_answered_it() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    // Someone else starts a request of their own and keeps the id it was sent to sign in with.
    let asked = Timestamp(T0.0 + 100);
    let planted =
        sign_in_demand(step(&engine, &with(&app, Some("login"), None, None), None, asked).await);
    // Olga signs in afterwards, by another way (her own Console sign-in, say): a fresh session.
    let fresh = sign_in_at(&engine, &session, None, Timestamp(asked.0 + 5)).await;
    // In her unattended browser, the planted id proves nothing: sign in again, with a new demand.
    let replayed = step(
        &engine,
        &with(&app, Some("login"), None, Some(&planted)),
        Some(&fresh.principal),
        Timestamp(asked.0 + 6),
    )
    .await;
    assert!(!is_code(&replayed), "{replayed:?}");
    sign_in_demand(replayed);
    // The same goes for max_age, which the planted id must not stretch either.
    let stretched = step(
        &engine,
        &with(&app, None, Some("1"), Some(&planted)),
        Some(&fresh.principal),
        Timestamp(asked.0 + 60),
    )
    .await;
    assert!(!is_code(&stretched), "{stretched:?}");

    // A demand answered by one sign-in is spent for any other session: the browser is sent to
    // sign in with a new one rather than looping on it.
    let own = sign_in_demand(
        step(
            &engine,
            &with(&app, Some("login"), None, None),
            Some(&fresh.principal),
            Timestamp(asked.0 + 70),
        )
        .await,
    );
    let answered = sign_in_at(&engine, &fresh, Some(&own), Timestamp(asked.0 + 71)).await;
    let elsewhere = sign_in_at(&engine, &answered, None, Timestamp(asked.0 + 72)).await;
    let renewed = sign_in_demand(
        step(
            &engine,
            &with(&app, Some("login"), None, Some(&own)),
            Some(&elsewhere.principal),
            Timestamp(asked.0 + 73),
        )
        .await,
    );
    assert_ne!(renewed, own);
}
