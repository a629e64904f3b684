//! Tokens we receive are checked against nothing they say about themselves; keys rotate without
//! breaking tokens in date; introspection and revocation answer only for the client's own tokens.

use crate::harness::*;
use crate::oauth::{claims, code_for, header, redeem, register, signed_in_tokens};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use engine::applications::{Application, ClientType, GrantType};
use engine::keys::PUBLISH_LEAD_SECS;
use engine::oauth::token::{TokenParams, TokenResponse};
use engine::sessions::Principal;
use engine::{Engine, Timestamp};
use serde_json::{json, Value};

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
async fn critical_header_extensions_and_tokens_issued_in_the_future_are_refused() {
    let engine = engine().await;
    let (app, _, tokens) = signed_in_tokens(&engine).await;
    let good = claims(&tokens.access_token);
    let good_header = header(&tokens.access_token);

    // RFC 7515 §4.1.11: we understand no extension, so any `crit` refuses the token.
    for crit in [json!(["exp"]), json!(["urn:example:unknown"]), json!([])] {
        let mut h = good_header.clone();
        h["crit"] = crit.clone();
        let forged = forge(&engine, h, &good).await;
        assert!(
            engine.authenticate_bearer(&forged, T0).await.is_err(),
            "crit {crit}"
        );
        assert_eq!(
            engine.introspect(&app, &forged, T0).await.unwrap(),
            json!({"active": false})
        );
    }

    // `iat` beyond the skew in the future: refused, even with `nbf` in the past.
    let mut future = good.clone();
    future["iat"] = json!(T0.0 + 3600);
    future["nbf"] = json!(T0.0 - 10);
    let forged = forge(&engine, good_header.clone(), &future).await;
    assert!(engine.authenticate_bearer(&forged, T0).await.is_err());
    // Within the skew, accepted (the forging helper is sound).
    let mut skewed = good.clone();
    skewed["iat"] = json!(T0.0 + 30);
    let forged = forge(&engine, good_header.clone(), &skewed).await;
    assert!(engine.authenticate_bearer(&forged, T0).await.is_ok());

    // An ID token carries no `nbf`: an `id_token_hint` issued in the future is refused as well.
    let id_token = tokens.id_token.unwrap();
    let mut hint = claims(&id_token);
    hint["iat"] = json!(T0.0 + 3600);
    let forged = forge(&engine, header(&id_token), &hint).await;
    let params = engine::oauth::logout::LogoutParams {
        id_token_hint: Some(forged),
        ..Default::default()
    };
    assert!(engine.validate_logout(&params, T0).await.is_err());
    let params = engine::oauth::logout::LogoutParams {
        id_token_hint: Some(id_token),
        ..Default::default()
    };
    assert!(engine.validate_logout(&params, T0).await.is_ok());
}

#[tokio::test]
async fn after_a_key_rotation_old_tokens_verify_until_they_expire() {
    let (engine, url) = engine_at().await;
    let (_, _, tokens) = signed_in_tokens(&engine).await;
    let old_kid = header(&tokens.access_token)["kid"].clone();
    let rotation = engine.rotate_signing_key(T0).await.unwrap();
    assert_eq!(rotation.signs_from, Timestamp(T0.0 + PUBLISH_LEAD_SECS));
    assert_eq!(
        listed_kids(&engine, T0).await,
        vec![rotation.kid.clone(), old_kid.as_str().unwrap().to_owned()]
    );
    assert!(engine
        .authenticate_bearer(&tokens.access_token, T0)
        .await
        .is_ok());

    // Another node, with its own cache, signs with the new key once it may.
    let other_node = Engine::open(&url, engine::Settings::for_tests())
        .await
        .unwrap();
    let after = rotation.signs_from;
    let (_, _, fresh) = signed_in_tokens_at(&other_node, after).await;
    assert_eq!(header(&fresh.access_token)["kid"], rotation.kid.as_str());
    assert!(engine
        .authenticate_bearer(&fresh.access_token, after)
        .await
        .is_ok());
}

/// Publish before sign: two nodes, one of which cached its keys just before the other rotated.
/// At every moment of the rotation, whatever either node signs is listed in both nodes' JWKS, so a
/// client that fetched the JWKS from either one verifies it.
#[tokio::test]
async fn during_a_rotation_every_node_lists_every_key_any_node_signs_with() {
    let (rotating, url) = engine_at().await;
    let (app, olga, _) = signed_in_tokens(&rotating).await;
    let other = Engine::open(&url, engine::Settings::for_tests())
        .await
        .unwrap();
    // The other node loads its keys, then the first node rotates.
    let old = other
        .keys(T0)
        .await
        .unwrap()
        .current(T0)
        .unwrap()
        .kid
        .clone();
    let rotation = rotating.rotate_signing_key(T0).await.unwrap();

    let mut signed_with = Vec::new();
    for offset in (0..=PUBLISH_LEAD_SECS + 10).step_by(5) {
        let now = Timestamp(T0.0 + offset);
        for signer in [&rotating, &other] {
            let code = code_for(signer, &app, &olga, now).await;
            let tokens = signer.token(&app, &redeem(&code), now).await.unwrap();
            let kid = header(&tokens.access_token)["kid"]
                .as_str()
                .unwrap()
                .to_owned();
            for node in [&rotating, &other] {
                assert!(
                    listed_kids(node, now).await.contains(&kid),
                    "{kid} signed {offset} s after the rotation is missing from a node's JWKS"
                );
                assert!(node
                    .authenticate_bearer(&tokens.access_token, now)
                    .await
                    .is_ok());
            }
            signed_with.push((offset, kid));
        }
    }
    // The old key until the lead time is over, then the new one, on both nodes alike.
    for (offset, kid) in &signed_with {
        let expected = if *offset < PUBLISH_LEAD_SECS {
            &old
        } else {
            &rotation.kid
        };
        assert_eq!(kid, expected, "key used {offset} s after the rotation");
    }
}

async fn listed_kids(engine: &Engine, now: Timestamp) -> Vec<String> {
    engine.keys(now).await.unwrap().jwks()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

async fn signed_in_tokens_at(
    engine: &Engine,
    now: Timestamp,
) -> (Application, Principal, TokenResponse) {
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
    let code = code_for(engine, &app, &olga, now).await;
    let tokens = engine.token(&app, &redeem(&code), now).await.unwrap();
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
