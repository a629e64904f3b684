//! The provider's rules, driven through the engine: codes, refresh tokens, client credentials,
//! token validation and key rotation — each with the inputs an attacker would try.

use crate::harness::*;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use engine::applications::{Application, ClientType, GrantType, NewApplication};
use engine::oauth::authorize::{AuthorizeParams, AuthorizeStep, ConsentAnswer};
use engine::oauth::token::{TokenParams, TokenResponse};
use engine::sessions::Principal;
use engine::users::UserStatus;
use engine::{Engine, Timestamp};
use serde_json::{json, Value};

const REDIRECT: &str = "https://shop.example/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

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
            },
            T0,
        )
        .await
        .unwrap();
    (app, secret.map(|s| s.expose().to_owned()))
}

fn code_request(app: &Application) -> AuthorizeParams {
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

fn query_param(url: &str, name: &str) -> Option<String> {
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

fn redeem(code: &str) -> TokenParams {
    TokenParams {
        grant_type: Some("authorization_code".into()),
        code: Some(code.into()),
        redirect_uri: Some(REDIRECT.into()),
        code_verifier: Some(VERIFIER.into()),
        ..TokenParams::default()
    }
}

fn refresh(token: &str) -> TokenParams {
    TokenParams {
        grant_type: Some("refresh_token".into()),
        refresh_token: Some(token.into()),
        ..TokenParams::default()
    }
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn header(jwt: &str) -> Value {
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(jwt.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap()
}

/// A user with a session and tokens for a fresh confidential application.
pub async fn signed_in_tokens(engine: &Engine) -> (Application, Principal, TokenResponse) {
    let admin = admin(engine).await;
    engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap();
    let olga = sign_in(engine, "olga", "olga-password")
        .await
        .unwrap()
        .principal;
    let (app, _) = register(
        engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
    let code = code_for(engine, &app, &olga, T0).await;
    let tokens = engine.token(&app, &redeem(&code), T0).await.unwrap();
    (app, olga, tokens)
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
    assert_eq!(access["sub"], olga.user_id.as_str());
    assert_eq!(access["aud"], app.client_id.as_str());
    assert_eq!(access["aut"], "APPLICATION_USER");
    assert!(access.get("act").is_none());
    let id = claims(tokens.id_token.as_deref().unwrap());
    assert_eq!(id["nonce"], "n-0S6");
    assert_eq!(id["isk"], olga.session_hash.as_str());
    assert_eq!(id["auth_time"], olga.auth_time.0);
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
    assert_eq!(access.user.unwrap().username, "olga");
}

#[tokio::test]
async fn a_code_is_single_use_and_its_replay_revokes_what_it_issued() {
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
    let (app, _) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
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
    let mut no_verifier = redeem(&code);
    no_verifier.code_verifier = None;
    assert_eq!(
        engine.token(&app, &no_verifier, T0).await.unwrap_err().code,
        "invalid_request"
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
async fn refresh_tokens_rotate_and_a_reused_one_revokes_the_family() {
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

    assert_eq!(
        engine
            .token(&app, &refresh(&first_rt), T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    // The replay ended the family: the newest refresh and access tokens are dead too.
    assert_eq!(
        engine
            .token(&app, &refresh(&second_rt), T0)
            .await
            .unwrap_err()
            .code,
        "invalid_grant"
    );
    assert!(engine
        .authenticate_bearer(&second.access_token, T0)
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
    let attempts = (0..8).map(|_| {
        let engine = engine.clone();
        let app = app.clone();
        let rt = rt.clone();
        tokio::spawn(async move { engine.token(&app, &refresh(&rt), T0).await })
    });
    let mut winners = 0;
    for attempt in attempts {
        if attempt.await.unwrap().is_ok() {
            winners += 1;
        }
    }
    assert_eq!(winners, 1);
}

#[tokio::test]
async fn inactive_users_get_nothing_from_outstanding_codes_or_refresh_tokens() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap();
    let olga = sign_in(&engine, "olga", "olga-password")
        .await
        .unwrap()
        .principal;
    let (app, _) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
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
    assert!(access.user.is_none());

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

/// Signs `claims` with our current private key (read from the database), under `header`.
async fn forge(engine: &Engine, header: Value, claims: &Value) -> String {
    let der: String =
        sqlx::query_scalar("SELECT private_der FROM signing_keys WHERE retired_at IS NULL")
            .fetch_one(engine.db().pool())
            .await
            .unwrap();
    let pair = KeyPair::from_pkcs8(&STANDARD.decode(der).unwrap()).unwrap();
    let mut input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut sig = vec![0u8; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .unwrap();
    input.push('.');
    input.push_str(&URL_SAFE_NO_PAD.encode(sig));
    input
}

#[tokio::test]
async fn token_validation_trusts_nothing_the_token_says_about_itself() {
    let engine = engine().await;
    let (_, _, tokens) = signed_in_tokens(&engine).await;
    let good = claims(&tokens.access_token);
    let good_header = header(&tokens.access_token);
    let kid = good_header["kid"].as_str().unwrap().to_owned();

    // Re-signed unchanged, it is accepted: the forging helper itself is sound.
    let resigned = forge(&engine, good_header.clone(), &good).await;
    assert!(engine.authenticate_bearer(&resigned, T0).await.is_ok());

    let body = URL_SAFE_NO_PAD.encode(good.to_string());
    let none = format!(
        "{}.{body}.",
        URL_SAFE_NO_PAD.encode(json!({"alg":"none","typ":"at+jwt","kid":kid}).to_string())
    );
    assert!(
        engine.authenticate_bearer(&none, T0).await.is_err(),
        "alg none"
    );

    // HS256 keyed with our public key (the classic algorithm-confusion attack).
    let jwks = engine.keys(T0).await.unwrap().jwks();
    let public_n = jwks["keys"][0]["n"].as_str().unwrap().to_owned();
    let mut hs_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs_header.kid = Some(kid.clone());
    hs_header.typ = Some("at+jwt".into());
    let hs = jsonwebtoken::encode(
        &hs_header,
        &good,
        &jsonwebtoken::EncodingKey::from_secret(public_n.as_bytes()),
    )
    .unwrap();
    assert!(
        engine.authenticate_bearer(&hs, T0).await.is_err(),
        "HS256 with the public key"
    );

    let mut unknown_kid = good_header.clone();
    unknown_kid["kid"] = json!("not-a-key");
    assert!(engine
        .authenticate_bearer(&forge(&engine, unknown_kid, &good).await, T0)
        .await
        .is_err());
    for foreign in ["jku", "x5u", "jwk"] {
        let mut h = good_header.clone();
        h[foreign] = if foreign == "jwk" {
            json!({"kty":"RSA","n":"AQAB","e":"AQAB"})
        } else {
            json!("https://evil.example/keys")
        };
        assert!(
            engine
                .authenticate_bearer(&forge(&engine, h, &good).await, T0)
                .await
                .is_err(),
            "{foreign}"
        );
    }
    let mut wrong_iss = good.clone();
    wrong_iss["iss"] = json!("https://evil.example/oauth2/token");
    assert!(engine
        .authenticate_bearer(&forge(&engine, good_header.clone(), &wrong_iss).await, T0)
        .await
        .is_err());

    let exp = good["exp"].as_i64().unwrap();
    assert!(
        engine
            .authenticate_bearer(&tokens.access_token, Timestamp(exp + 59))
            .await
            .is_ok(),
        "within skew"
    );
    assert!(
        engine
            .authenticate_bearer(&tokens.access_token, Timestamp(exp + 61))
            .await
            .is_err(),
        "expired"
    );

    let id_token = tokens.id_token.unwrap();
    assert!(
        engine.authenticate_bearer(&id_token, T0).await.is_err(),
        "ID token as bearer"
    );
    let tampered = format!("{}x", tokens.access_token);
    assert!(engine.authenticate_bearer(&tampered, T0).await.is_err());
}

#[tokio::test]
async fn after_a_key_rotation_old_tokens_verify_until_they_expire() {
    let (engine, url) = engine_at().await;
    let (_, _, tokens) = signed_in_tokens(&engine).await;
    let old_kid = header(&tokens.access_token)["kid"].clone();
    let new_kid = engine.rotate_signing_key(T0).await.unwrap();
    let jwks = engine.keys(T0).await.unwrap().jwks();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, vec![new_kid.as_str(), old_kid.as_str().unwrap()]);
    assert!(engine
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .is_ok());

    // Another node, with its own cache, sees the rotation as well.
    let other_node = Engine::open(&url, engine::Settings::default())
        .await
        .unwrap();
    let (_, _, fresh) = signed_in_tokens_again(&other_node).await;
    assert_eq!(header(&fresh.access_token)["kid"], new_kid.as_str());
}

async fn signed_in_tokens_again(engine: &Engine) -> (Application, Principal, TokenResponse) {
    let olga = sign_in(engine, "olga", "olga-password")
        .await
        .unwrap()
        .principal;
    let (app, _) = register(
        engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode],
    )
    .await;
    let code = code_for(engine, &app, &olga, T0).await;
    let tokens = engine.token(&app, &redeem(&code), T0).await.unwrap();
    (app, olga, tokens)
}

#[tokio::test]
async fn introspection_and_revocation() {
    let engine = engine().await;
    let (app, _, tokens) = signed_in_tokens(&engine).await;
    let active = engine
        .introspect(&app, &tokens.access_token, T0)
        .await
        .unwrap();
    assert_eq!(active["active"], true);
    assert_eq!(active["client_id"], app.client_id.as_str());
    let rt = tokens.refresh_token.clone().unwrap();
    assert_eq!(
        engine.introspect(&app, &rt, T0).await.unwrap()["active"],
        true
    );

    let (stranger, _) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::ClientCredentials],
    )
    .await;
    assert_eq!(
        engine
            .introspect(&stranger, &tokens.access_token, T0)
            .await
            .unwrap(),
        json!({"active": false})
    );
    assert_eq!(
        engine.introspect(&app, "garbage", T0).await.unwrap(),
        json!({"active": false})
    );
    assert_eq!(
        engine.introspect(&app, "a.b.c", T0).await.unwrap(),
        json!({"active": false})
    );
    let exp = active["exp"].as_i64().unwrap();
    assert_eq!(
        engine
            .introspect(&app, &tokens.access_token, Timestamp(exp + 120))
            .await
            .unwrap(),
        json!({"active": false})
    );

    // A stranger cannot revoke someone else's token.
    engine.revoke_token(&stranger, &rt, T0).await.unwrap();
    assert_eq!(
        engine.introspect(&app, &rt, T0).await.unwrap()["active"],
        true
    );
    engine.revoke_token(&app, &rt, T0).await.unwrap();
    assert_eq!(
        engine.introspect(&app, &rt, T0).await.unwrap(),
        json!({"active": false})
    );
    assert_eq!(
        engine
            .introspect(&app, &tokens.access_token, T0)
            .await
            .unwrap(),
        json!({"active": false})
    );

    // Access tokens of client credentials are revocable too.
    let (service, secret) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::ClientCredentials],
    )
    .await;
    let service = engine
        .authenticate_client(&service.client_id, secret.as_deref())
        .await
        .unwrap();
    let cc = engine
        .token(
            &service,
            &TokenParams {
                grant_type: Some("client_credentials".into()),
                ..TokenParams::default()
            },
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        engine
            .introspect(&service, &cc.access_token, T0)
            .await
            .unwrap()["active"],
        true
    );
    engine
        .revoke_token(&service, &cc.access_token, T0)
        .await
        .unwrap();
    assert_eq!(
        engine
            .introspect(&service, &cc.access_token, T0)
            .await
            .unwrap(),
        json!({"active": false})
    );
}

#[tokio::test]
async fn signing_out_revokes_what_the_session_obtained() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap();
    let session = sign_in(&engine, "olga", "olga-password").await.unwrap();
    let (app, _) = register(
        &engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
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
