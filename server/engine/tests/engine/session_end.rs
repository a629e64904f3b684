//! What ending a session takes with it: each way a session ends, and what still works afterwards.
//! A session's end takes its grants (offline ones survive only a plain end); a change to the user's
//! credentials or standing takes every grant of the user.

use crate::harness::*;
use crate::oauth::{code_request, olga_and_app, query_param, redeem, refresh, Olga};
use engine::access::MY_ACCOUNT_APP;
use engine::applications::Application;
use engine::oauth::authorize::{AuthorizeStep, ConsentAnswer};
use engine::oauth::token::TokenResponse;
use engine::provisioning::ProvisionedUser;
use engine::sessions::{NewSession, Principal, SignIn};
use engine::users::{IfMatch, UserStatus};
use engine::{Engine, Settings, Timestamp};

/// Tokens for `app` through `who`'s session, with `scope`.
async fn tokens_with(
    engine: &Engine,
    app: &Application,
    who: &Principal,
    scope: &str,
) -> TokenResponse {
    let mut params = code_request(app);
    params.scope = Some(scope.into());
    let req = engine
        .validate_authorization_request(&params)
        .await
        .unwrap();
    let mut step = engine
        .authorize(&req, Some(who), ConsentAnswer::NotAsked, T0)
        .await
        .unwrap();
    if let AuthorizeStep::Consent { .. } = step {
        step = engine
            .authorize(&req, Some(who), ConsentAnswer::Allow, T0)
            .await
            .unwrap();
    }
    let AuthorizeStep::Redirect(location) = step else {
        panic!("expected a code, got {step:?}")
    };
    let code = query_param(&location, "code").unwrap();
    engine.token(app, &redeem(&code), T0).await.unwrap()
}

/// Whether the tokens still work: the access token as a bearer, the refresh token by refreshing
/// (which rotates it, so call this once per set of tokens).
async fn alive(engine: &Engine, app: &Application, tokens: &TokenResponse, now: Timestamp) -> bool {
    let bearer = engine
        .authenticate_bearer(&tokens.access_token, now)
        .await
        .is_ok();
    let rt = tokens.refresh_token.as_deref().unwrap();
    let refreshed = engine.token(app, &refresh(rt), now).await.is_ok();
    assert_eq!(bearer, refreshed, "access and refresh token disagree");
    bearer
}

async fn sign_in_again(engine: &Engine, password: &str, previous: Option<&str>) -> NewSession {
    engine
        .sign_in(
            SignIn {
                organization: None,
                username: "olga",
                password,
                client_addr: "192.0.2.1",
                previous_token: previous,
                answering: None,
                application: None,
                request: None,
            },
            T0,
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
        .unwrap()
}

#[tokio::test]
async fn a_new_sign_in_in_the_same_browser_ends_the_previous_session_with_its_grants() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let before = tokens_with(&engine, &app, &session.principal, "openid").await;
    let second = sign_in_again(&engine, "olga-password", Some(session.token.expose())).await;
    assert!(engine
        .authenticate(session.token.expose(), T0)
        .await
        .is_err());
    assert!(!alive(&engine, &app, &before, T0).await);
    // The new session is untouched.
    let after = tokens_with(&engine, &app, &second.principal, "openid").await;
    assert!(alive(&engine, &app, &after, T0).await);
}

#[tokio::test]
async fn signing_out_keeps_only_the_offline_grants_of_business_applications() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let olga = &session.principal;
    let online = tokens_with(&engine, &app, olga, "openid").await;
    let offline = tokens_with(&engine, &app, olga, "openid offline_access").await;
    engine
        .sign_into_portal(olga, MY_ACCOUNT_APP, T0)
        .await
        .unwrap();
    engine.sign_out(session.token.expose(), T0).await.unwrap();
    assert!(!alive(&engine, &app, &online, T0).await);
    assert!(alive(&engine, &app, &offline, T0).await, "offline_access");
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM oauth_grants g JOIN applications a ON a.id = g.app_id \
             WHERE a.system_kind IS NOT NULL AND g.revoked_at IS NULL \
             AND g.user_id <> (SELECT id FROM users WHERE username = 'admin')"
        )
        .await,
        0,
        "the portal grant ends with its session"
    );
}

#[tokio::test]
async fn a_grant_ends_when_its_session_expires_unless_offline() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let olga = &session.principal;
    let online = tokens_with(&engine, &app, olga, "openid").await;
    let offline = tokens_with(&engine, &app, olga, "openid offline_access").await;
    // The refresh tokens live a day, the session twelve hours.
    let expired = T0.plus_secs(Settings::for_tests().session_lifetime_secs + 1);
    let rt = online.refresh_token.as_deref().unwrap();
    assert_eq!(
        engine
            .token(&app, &refresh(rt), expired)
            .await
            .unwrap_err()
            .code,
        "invalid_grant",
        "refused before any purge"
    );
    let rt = offline.refresh_token.as_deref().unwrap();
    let renewed = engine.token(&app, &refresh(rt), expired).await.unwrap();
    assert!(engine.purge_expired_sessions(expired).await.unwrap() >= 1);
    assert!(alive(&engine, &app, &renewed, expired).await);
}

#[tokio::test]
async fn access_tokens_and_introspection_follow_the_session_before_any_purge() {
    // Sessions shorter than access tokens, so the tokens are still in date when the session ends.
    let url = fresh_database_url().await;
    let short = Settings {
        session_lifetime_secs: 600,
        ..Settings::for_tests()
    };
    let engine = Engine::open(&url, short).await.unwrap();
    engine.bootstrap(bootstrap_config(), T0).await.unwrap();
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let olga = &session.principal;
    let online = tokens_with(&engine, &app, olga, "openid").await;
    let offline = tokens_with(&engine, &app, olga, "openid offline_access").await;
    let ended = T0.plus_secs(601);
    assert!(engine
        .authenticate_bearer(&online.access_token, ended)
        .await
        .is_err());
    let rt = online.refresh_token.as_deref().unwrap();
    assert_eq!(
        engine.introspect(&app, rt, ended).await.unwrap()["active"],
        false
    );
    assert!(engine
        .authenticate_bearer(&offline.access_token, ended)
        .await
        .is_ok());
    let rt = offline.refresh_token.as_deref().unwrap();
    assert_eq!(
        engine.introspect(&app, rt, ended).await.unwrap()["active"],
        true
    );
}

#[tokio::test]
async fn a_password_change_revokes_every_grant_but_keeps_the_session_that_made_it() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let here = &session.principal;
    let elsewhere = sign_in_again(&engine, "olga-password", None).await;
    let from_here = tokens_with(&engine, &app, here, "openid").await;
    let offline = tokens_with(&engine, &app, &elsewhere.principal, "openid offline_access").await;
    engine
        .sign_into_portal(here, MY_ACCOUNT_APP, T0)
        .await
        .unwrap();

    engine
        .change_my_password(here, "olga-password", "olga-new-password", T0)
        .await
        .unwrap();
    assert!(engine
        .authenticate(elsewhere.token.expose(), T0)
        .await
        .is_err());
    assert!(!alive(&engine, &app, &from_here, T0).await);
    assert!(
        !alive(&engine, &app, &offline, T0).await,
        "offline grants end too"
    );
    // The session that proved the password stays, and so does its My Account grant.
    assert!(engine
        .authenticate(session.token.expose(), T0)
        .await
        .is_ok());
    assert!(engine.portal_scope(here, MY_ACCOUNT_APP).await.is_ok());
}

#[tokio::test]
async fn disabling_or_locking_revokes_every_grant_for_good() {
    let engine = engine().await;
    let Olga {
        admin,
        user,
        session,
        app,
    } = olga_and_app(&engine).await;
    let mut olga = session;
    for status in [UserStatus::Disabled, UserStatus::Locked] {
        let offline = tokens_with(&engine, &app, &olga.principal, "openid offline_access").await;
        engine
            .set_user_status(&admin, &user.id, status, T0)
            .await
            .unwrap();
        engine
            .set_user_status(&admin, &user.id, UserStatus::Active, T0)
            .await
            .unwrap();
        // Reactivating brings back nothing the status change took.
        assert!(!alive(&engine, &app, &offline, T0).await, "{status:?}");
        olga = sign_in_again(&engine, "olga-password", None).await;
    }
}

#[tokio::test]
async fn a_password_set_by_provisioning_revokes_every_grant() {
    let engine = engine().await;
    let Olga {
        admin,
        user,
        session,
        app,
    } = olga_and_app(&engine).await;
    let offline = tokens_with(&engine, &app, &session.principal, "openid offline_access").await;
    let kept_password = tokens_with(&engine, &app, &session.principal, "openid").await;
    let replace = |password: Option<&str>| ProvisionedUser {
        username: user.username.clone(),
        email: user.email.clone(),
        given_name: user.given_name.clone(),
        family_name: user.family_name.clone(),
        country: user.country.clone(),
        address_primary: user.address_primary,
        active: true,
        external_id: None,
        password: password.map(str::to_owned),
    };
    // A replace that keeps the password ends nothing.
    engine
        .replace_user(&admin, &user.id, replace(None), &IfMatch::Any, T0)
        .await
        .unwrap();
    assert!(alive(&engine, &app, &kept_password, T0).await);
    engine
        .replace_user(
            &admin,
            &user.id,
            replace(Some("a-brand-new-password")),
            &IfMatch::Any,
            T0,
        )
        .await
        .unwrap();
    assert!(!alive(&engine, &app, &offline, T0).await);
}

#[tokio::test]
async fn deleting_a_user_leaves_no_grant_behind() {
    let engine = engine().await;
    let Olga {
        admin,
        user,
        session,
        app,
    } = olga_and_app(&engine).await;
    let offline = tokens_with(&engine, &app, &session.principal, "openid offline_access").await;
    engine.delete_user(&admin, &user.id, T0).await.unwrap();
    assert!(!alive(&engine, &app, &offline, T0).await);
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM oauth_grants g WHERE NOT EXISTS \
             (SELECT 1 FROM users u WHERE u.id = g.user_id)"
        )
        .await,
        0
    );
}
