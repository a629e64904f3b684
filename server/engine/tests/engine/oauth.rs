//! The provider's rules, driven through the engine: codes, refresh tokens, client credentials and
//! sign-out — each with the inputs an attacker would try. Checks of the tokens themselves are in
//! `token_checks.rs`.

use crate::harness::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use engine::applications::{Application, ClientType, GrantType, NewApplication};
use engine::oauth::authorize::{AuthorizeParams, AuthorizeStep, ConsentAnswer};
use engine::oauth::token::{TokenParams, TokenResponse};
use engine::sessions::{NewSession, Principal};
use engine::users::{User, UserStatus};
use engine::ConsoleAdmin;
use engine::{Engine, Timestamp};
use serde_json::Value;

pub const REDIRECT: &str = "https://shop.example/callback";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

pub async fn register(
    engine: &Engine,
    client_type: ClientType,
    grants: &[GrantType],
) -> (Application, Option<String>) {
    let org = engine.root_org().await.unwrap();
    let (app, secret) = engine
        .create_application(
            "test",
            &org,
            NewApplication {
                name: format!("Shop {}", uuid::Uuid::new_v4().simple()),
                description: String::new(),
                client_type,
                redirect_uris: vec![REDIRECT.into()],
                post_logout_redirect_uris: vec!["https://shop.example/bye".into()],
                grant_types: grants.to_vec(),
                access_url: String::new(),
                authorized_scopes: Vec::new(),
            },
            T0,
        )
        .await
        .unwrap();
    (app, secret.map(|s| s.expose().to_owned()))
}

pub fn code_request(app: &Application) -> AuthorizeParams {
    AuthorizeParams {
        response_type: Some("code".into()),
        client_id: Some(app.client_id.clone()),
        redirect_uri: Some(REDIRECT.into()),
        scope: Some("openid profile email".into()),
        state: Some("st".into()),
        nonce: Some("n-0S6".into()),
        code_challenge: Some(CHALLENGE.into()),
        code_challenge_method: Some("S256".into()),
        ..AuthorizeParams::default()
    }
}

pub fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Runs authorize (consenting when asked) and returns the code.
pub async fn code_for(
    engine: &Engine,
    app: &Application,
    who: &Principal,
    now: Timestamp,
) -> String {
    let req = engine
        .validate_authorization_request(&code_request(app))
        .await
        .unwrap();
    let mut step = engine
        .authorize(&req, Some(who), ConsentAnswer::NotAsked, now)
        .await
        .unwrap();
    if let AuthorizeStep::Consent { .. } = step {
        step = engine
            .authorize(&req, Some(who), ConsentAnswer::Allow, now)
            .await
            .unwrap();
    }
    let AuthorizeStep::Redirect(location) = step else {
        panic!("expected a redirect, got {step:?}")
    };
    assert_eq!(query_param(&location, "state").as_deref(), Some("st"));
    assert_eq!(query_param(&location, "iss"), Some(engine.issuer()));
    query_param(&location, "code").expect("a code")
}

pub fn redeem(code: &str) -> TokenParams {
    TokenParams {
        grant_type: Some("authorization_code".into()),
        code: Some(code.into()),
        redirect_uri: Some(REDIRECT.into()),
        code_verifier: Some(VERIFIER.into()),
        ..TokenParams::default()
    }
}

pub fn refresh(token: &str) -> TokenParams {
    TokenParams {
        grant_type: Some("refresh_token".into()),
        refresh_token: Some(token.into()),
        ..TokenParams::default()
    }
}

pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

pub fn header(jwt: &str) -> Value {
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(jwt.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap()
}

/// A user with a session and tokens for a fresh confidential application.
pub async fn signed_in_tokens(engine: &Engine) -> (Application, Principal, TokenResponse) {
    let Olga { session, app, .. } = olga_and_app(engine).await;
    let olga = session.principal;
    let code = code_for(engine, &app, &olga, T0).await;
    let tokens = engine.token(&app, &redeem(&code), T0).await.unwrap();
    (app, olga, tokens)
}

/// Olga (a user the administrator added), signed in, and a fresh confidential application that
/// may refresh.
pub struct Olga {
    pub admin: ConsoleAdmin,
    pub user: User,
    pub session: NewSession,
    pub app: Application,
}

pub async fn olga_and_app(engine: &Engine) -> Olga {
    let admin = admin(engine).await;
    let user = engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap();
    let session = sign_in(engine, "olga", "olga-password").await.unwrap();
    let (app, _) = register(
        engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
    Olga {
        admin,
        user,
        session,
        app,
    }
}

#[tokio::test]
async fn the_code_flow_issues_tokens_as_the_contract_says() {
    let engine = engine().await;
    let (app, olga, tokens) = signed_in_tokens(&engine).await;
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.scope, "email openid profile");
    let access = claims(&tokens.access_token);
    let h = header(&tokens.access_token);
    assert_eq!(h["typ"], "at+jwt");
    assert_eq!(h["alg"], "RS256");
    let keys = engine.keys(T0).await.unwrap().jwks();
    assert_eq!(h["kid"], keys["keys"][0]["kid"]);
    assert_eq!(h["x5t"], keys["keys"][0]["x5t"]);
    for name in [
        "iss",
        "sub",
        "aud",
        "client_id",
        "azp",
        "scope",
        "iat",
        "nbf",
        "exp",
        "jti",
        "aut",
        "org_id",
        "org_name",
    ] {
        assert!(access.get(name).is_some(), "access token lacks {name}");
    }
    assert_eq!(access["iss"], engine.issuer());
    assert_eq!(access["sub"], olga.user_id().as_str());
    assert_eq!(access["aud"], app.client_id.as_str());
    assert_eq!(access["aut"], "APPLICATION_USER");
    assert!(access.get("act").is_none());
    let id = claims(tokens.id_token.as_deref().unwrap());
    assert_eq!(id["nonce"], "n-0S6");
    assert_eq!(id["isk"], olga.session_hash().unwrap());
    assert_eq!(id["auth_time"], olga.auth_time().0);
    assert_eq!(
        id["at_hash"],
        engine::oauth::mint::at_hash(&tokens.access_token).as_str()
    );
    assert_eq!(id["email"], "olga@example.com");
    for name in ["sid", "amr", "org_id", "org_name", "user_org", "azp"] {
        assert!(id.get(name).is_some(), "ID token lacks {name}");
    }
    let access = engine
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .unwrap();
    assert_eq!(access.user().unwrap().username, "olga");
}

#[tokio::test]
async fn a_code_is_single_use_and_its_replay_revokes_what_it_issued() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let olga = session.principal;
    let code = code_for(&engine, &app, &olga, T0).await;
    let first = engine.token(&app, &redeem(&code), T0).await.unwrap();
    let replay = engine.token(&app, &redeem(&code), T0).await.unwrap_err();
    assert_eq!(replay.code, "invalid_grant");
    assert!(engine
        .authenticate_bearer(&first.access_token, T0)
        .await
        .is_err());
    let rt = first.refresh_token.unwrap();
    assert_eq!(
        engine
            .token(&app, &refresh(&rt), T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
}

#[tokio::test]
async fn a_code_is_bound_to_its_client_redirect_uri_verifier_and_lifetime() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap();
    let olga = sign_in(&engine, "olga", "olga-password")
        .await
        .unwrap()
        .principal;
    let grants = [GrantType::AuthorizationCode, GrantType::RefreshToken];
    let (app, _) = register(&engine, ClientType::Confidential, &grants).await;
    let (other, _) = register(&engine, ClientType::Confidential, &grants).await;

    let code = code_for(&engine, &app, &olga, T0).await;
    assert_eq!(
        engine
            .token(&other, &redeem(&code), T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    let mut wrong_redirect = redeem(&code);
    wrong_redirect.redirect_uri = Some(format!("{REDIRECT}/"));
    assert_eq!(
        engine
            .token(&app, &wrong_redirect, T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    let mut wrong_verifier = redeem(&code);
    wrong_verifier.code_verifier = Some("x".repeat(43));
    assert_eq!(
        engine
            .token(&app, &wrong_verifier, T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    // A code bound to a challenge and redeemed without a verifier: the grant is wrong, not the
    // request (RFC 7636 §4.6).
    let mut no_verifier = redeem(&code);
    no_verifier.code_verifier = None;
    assert_eq!(
        engine.token(&app, &no_verifier, T0).await.unwrap_err().code,
        "invalid_grant"
    );
    // None of those attempts consumed the code.
    assert!(engine.token(&app, &redeem(&code), T0).await.is_ok());

    let late = code_for(&engine, &app, &olga, T0).await;
    let after_ten_minutes = Timestamp(T0.0 + 601);
    assert_eq!(
        engine
            .token(&app, &redeem(&late), after_ten_minutes)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
}

#[tokio::test]
async fn inactive_users_get_nothing_from_outstanding_codes_or_refresh_tokens() {
    let engine = engine().await;
    let Olga {
        admin,
        user,
        session,
        app,
    } = olga_and_app(&engine).await;
    let olga = session.principal;
    let code = code_for(&engine, &app, &olga, T0).await;
    let tokens = engine.token(&app, &redeem(&code), T0).await.unwrap();
    let pending = code_for(&engine, &app, &olga, T0).await;

    engine
        .set_user_status(&admin, &user.id, UserStatus::Disabled, T0)
        .await
        .unwrap();
    assert_eq!(
        engine
            .token(&app, &redeem(&pending), T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    let rt = tokens.refresh_token.unwrap();
    assert_eq!(
        engine
            .token(&app, &refresh(&rt), T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    assert!(engine
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .is_err());

    engine
        .set_user_status(&admin, &user.id, UserStatus::Active, T0)
        .await
        .unwrap();
    engine.delete_user(&admin, &user.id, T0).await.unwrap();
    assert_eq!(
        engine
            .token(&app, &refresh(&rt), T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
}

#[tokio::test]
async fn client_credentials_are_for_confidential_clients_that_may_use_them() {
    let engine = engine().await;
    let (app, secret) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::ClientCredentials],
    )
    .await;
    let secret = secret.unwrap();
    assert!(secret.len() >= 43, "at least 256 bits");
    assert!(engine
        .authenticate_client(&app.client_id, Some("wrong"))
        .await
        .is_err());
    assert!(engine
        .authenticate_client(&app.client_id, None)
        .await
        .is_err());
    let client = engine
        .authenticate_client(&app.client_id, Some(&secret))
        .await
        .unwrap();
    let params = TokenParams {
        grant_type: Some("client_credentials".into()),
        ..TokenParams::default()
    };
    let tokens = engine.token(&client, &params, T0).await.unwrap();
    assert!(tokens.refresh_token.is_none() && tokens.id_token.is_none());
    let c = claims(&tokens.access_token);
    assert_eq!(c["aut"], "APPLICATION");
    assert_eq!(c["sub"], app.client_id.as_str());
    let access = engine
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .unwrap();
    assert!(access.user().is_none());

    let code_params = TokenParams {
        grant_type: Some("authorization_code".into()),
        code: Some("x".into()),
        ..TokenParams::default()
    };
    assert_eq!(
        engine
            .token(&client, &code_params, T0)
            .await
            .unwrap_err()
            .code,
        "unauthorized_client"
    );
    let unknown = TokenParams {
        grant_type: Some("password".into()),
        ..TokenParams::default()
    };
    assert_eq!(
        engine.token(&client, &unknown, T0).await.unwrap_err().code,
        "unsupported_grant_type"
    );

    let (public, none) =
        register(&engine, ClientType::Public, &[GrantType::AuthorizationCode]).await;
    assert!(none.is_none());
    assert!(engine
        .authenticate_client(&public.client_id, Some("anything"))
        .await
        .is_err());
    assert!(engine
        .authenticate_client(&public.client_id, None)
        .await
        .is_ok());
}

#[tokio::test]
async fn signing_out_revokes_what_the_session_obtained() {
    let engine = engine().await;
    let Olga { session, app, .. } = olga_and_app(&engine).await;
    let code = code_for(&engine, &app, &session.principal, T0).await;
    let tokens = engine.token(&app, &redeem(&code), T0).await.unwrap();
    engine.sign_out(session.token.expose(), T0).await.unwrap();
    assert!(engine
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .is_err());
    let rt = tokens.refresh_token.unwrap();
    assert_eq!(
        engine
            .token(&app, &refresh(&rt), T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
}
