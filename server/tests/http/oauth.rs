//! The provider's endpoints over HTTP, with the bad inputs: redirect URI look-alikes, refused
//! response types, PKCE, client authentication, consent and logout forms, bearer tokens.

use super::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use engine::applications::{ClientType, GrantType, NewApplication};
use serde_json::{json, Value};

pub(super) const REDIRECT: &str = "https://shop.example/cb";
pub(super) const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub(super) const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

pub(super) struct Client {
    pub(super) id: String,
    pub(super) secret: String,
}

impl Client {
    pub(super) fn basic(&self) -> String {
        format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{}", self.id, self.secret))
        )
    }
}

pub(super) async fn register(engine: &Engine, grants: &[GrantType]) -> Client {
    register_authorized(engine, grants, &[]).await
}

/// Registers an application authorized for `scopes` of API resources.
pub(super) async fn register_authorized(
    engine: &Engine,
    grants: &[GrantType],
    scopes: &[&str],
) -> Client {
    let org = engine.root_org().await.unwrap();
    let (app, secret) = engine
        .create_application(
            "test",
            &org,
            NewApplication {
                name: format!("Shop {}", uuid_like()),
                description: String::new(),
                client_type: ClientType::Confidential,
                redirect_uris: vec![REDIRECT.into()],
                post_logout_redirect_uris: vec!["https://shop.example/bye".into()],
                grant_types: grants.to_vec(),
                access_url: String::new(),
                authorized_scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            },
            engine::Timestamp(0),
        )
        .await
        .unwrap();
    Client {
        id: app.client_id,
        secret: secret.unwrap().expose().to_owned(),
    }
}

pub(super) fn authorize_query(client: &Client, extra: &[(&str, &str)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("response_type", "code")
        .append_pair("client_id", &client.id)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("scope", "openid email")
        .append_pair("state", "xyz")
        .append_pair("nonce", "n1")
        .append_pair("code_challenge", CHALLENGE)
        .append_pair("code_challenge_method", "S256");
    let mut base = q.finish();
    for (k, v) in extra {
        // Later pairs replace earlier ones: drop the name first.
        let kept: Vec<(String, String)> = form_urlencoded::parse(base.as_bytes())
            .into_owned()
            .filter(|(name, _)| name != k)
            .collect();
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.extend_pairs(kept);
        if !v.is_empty() {
            q.append_pair(k, v);
        }
        base = q.finish();
    }
    base
}

pub(super) async fn get(app: &Router, uri: &str, cookie: Option<&str>) -> http::Response<Body> {
    let mut b = Request::get(uri);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    send(app, b.body(Body::empty()).unwrap()).await
}

pub(super) async fn body_text(r: http::Response<Body>) -> String {
    String::from_utf8(
        axum::body::to_bytes(r.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap()
}

pub(super) async fn body_json(r: http::Response<Body>) -> Value {
    serde_json::from_str(&body_text(r).await).unwrap()
}

pub(super) fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub(super) async fn token_request(
    app: &Router,
    auth: Option<&str>,
    body: &str,
) -> http::Response<Body> {
    token_request_at(app, "/oauth2/token", auth, body).await
}

/// [`token_request`] to the token endpoint at `path` (under an organization's prefix, say).
pub(super) async fn token_request_at(
    app: &Router,
    path: &str,
    auth: Option<&str>,
    body: &str,
) -> http::Response<Body> {
    let mut b =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    send(app, b.body(Body::from(body.to_owned())).unwrap()).await
}

/// Signs in, consents and returns (cookie, code).
pub(super) async fn code_for(app: &Router, client: &Client) -> (String, String) {
    let cookie = admin_cookie(app).await;
    let query = authorize_query(client, &[]);
    let consent = get(app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    assert_eq!(consent.status(), StatusCode::OK);
    let answer = send(
        app,
        form_post("/oauth2/consent", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{query}&decision=allow")))
            .unwrap(),
    )
    .await;
    let to = location(&answer).to_owned();
    assert!(to.starts_with(REDIRECT), "{to}");
    (cookie, param(&to, "code").unwrap())
}

#[tokio::test]
async fn redirect_uri_look_alikes_get_an_error_page_never_a_redirect() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    for bad in [
        "https://shop.example/cb/",
        "https://SHOP.example/cb",
        "https://shop.example/CB",
        "https://shop.example/cb?x=1",
        "https://shop.example/cb#frag",
        "https://user@shop.example/cb",
        "https://shop.example/%2e%2e/cb",
        "https://shop.example/x/../cb",
        "https://shop.example.evil.example/cb",
        "http://shop.example/cb",
        "",
    ] {
        let r = get(
            &app,
            &format!(
                "/oauth2/authorize?{}",
                authorize_query(&client, &[("redirect_uri", bad)])
            ),
            None,
        )
        .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.headers().get(header::LOCATION).is_none(), "{bad}");
        assert!(body_text(r).await.contains("redirect_uri"), "{bad}");
    }
    let unknown = get(
        &app,
        &format!(
            "/oauth2/authorize?{}",
            authorize_query(&client, &[("client_id", "nope")])
        ),
        None,
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(unknown.headers().get(header::LOCATION).is_none());
}

#[tokio::test]
async fn other_request_errors_go_back_to_the_client_with_state_and_iss() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    let issuer = format!("{ORIGIN}/oauth2/token");
    for (extra, error) in [
        (
            vec![("response_type", "token")],
            "unsupported_response_type",
        ),
        (
            vec![("response_type", "id_token")],
            "unsupported_response_type",
        ),
        (
            vec![("response_type", "code token")],
            "unsupported_response_type",
        ),
        (vec![("response_type", "")], "invalid_request"),
        (vec![("code_challenge_method", "plain")], "invalid_request"),
        (
            vec![("code_challenge", ""), ("code_challenge_method", "")],
            "invalid_request",
        ),
        (vec![("code_challenge", "too-short")], "invalid_request"),
        (vec![("prompt", "none")], "login_required"),
        (vec![("prompt", "none login")], "invalid_request"),
        (vec![("scope", "openid \"quoted\"")], "invalid_scope"),
    ] {
        let r = get(
            &app,
            &format!("/oauth2/authorize?{}", authorize_query(&client, &extra)),
            None,
        )
        .await;
        let to = location(&r);
        assert!(to.starts_with(REDIRECT), "{extra:?}: {to}");
        assert_eq!(param(to, "error").as_deref(), Some(error), "{extra:?}");
        assert_eq!(param(to, "state").as_deref(), Some("xyz"));
        assert_eq!(param(to, "iss").as_deref(), Some(issuer.as_str()));
    }
    let repeated = get(
        &app,
        &format!(
            "/oauth2/authorize?{}&state=again",
            authorize_query(&client, &[])
        ),
        None,
    )
    .await;
    assert_eq!(repeated.status(), StatusCode::BAD_REQUEST);
    assert!(repeated.headers().get(header::LOCATION).is_none());
    // A client not allowed the code grant.
    let service = register(&engine, &[GrantType::ClientCredentials]).await;
    let r = get(
        &app,
        &format!("/oauth2/authorize?{}", authorize_query(&service, &[])),
        None,
    )
    .await;
    assert_eq!(
        param(location(&r), "error").as_deref(),
        Some("unauthorized_client")
    );
}

#[tokio::test]
async fn sign_in_consent_code_and_token_over_http() {
    let (app, engine) = app_with_engine().await;
    let client = register(
        &engine,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
    let query = authorize_query(&client, &[]);
    let anonymous = get(&app, &format!("/oauth2/authorize?{query}"), None).await;
    let to = location(&anonymous).to_owned();
    assert!(
        to.starts_with("/login?return_to=%2Foauth2%2Fauthorize%3F"),
        "{to}"
    );

    let cookie = admin_cookie(&app).await;
    let page = get(&app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        !csp.contains("form-action"),
        "the consent form redirects to the client: {csp}"
    );
    let html = body_text(page).await;
    assert!(
        html.contains("wants to access your account") && html.contains("Your email address"),
        "{html}"
    );

    // Only our own page may answer the consent question.
    let forged = send(
        &app,
        form_post("/oauth2/consent", Some("cross-site"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{query}&decision=allow")))
            .unwrap(),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let denied = send(
        &app,
        form_post("/oauth2/consent", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{query}&decision=deny")))
            .unwrap(),
    )
    .await;
    assert_eq!(
        param(location(&denied), "error").as_deref(),
        Some("access_denied")
    );

    let (_, code) = code_for(&app, &client).await;
    let redeem = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
        form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    );
    let r = token_request(&app, Some(&client.basic()), &redeem).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get(header::CACHE_CONTROL).unwrap(), "no-store");
    let tokens = body_json(r).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["id_token"].is_string() && tokens["refresh_token"].is_string());

    let again = token_request(&app, Some(&client.basic()), &redeem).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body_json(again).await["error"], "invalid_grant");

    // Now that consent was given, the next sign-in skips the page.
    let skipped = get(&app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    assert!(location(&skipped).starts_with(REDIRECT));
}

#[tokio::test]
async fn the_token_endpoint_authenticates_clients_and_answers_errors_in_json() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::ClientCredentials]).await;
    let ok = token_request(&app, Some(&client.basic()), "grant_type=client_credentials").await;
    assert_eq!(ok.status(), StatusCode::OK);
    let post = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        client.id, client.secret
    );
    assert_eq!(
        token_request(&app, None, &post).await.status(),
        StatusCode::OK
    );

    let wrong = Client {
        id: client.id.clone(),
        secret: "wrong".into(),
    };
    let r = token_request(&app, Some(&wrong.basic()), "grant_type=client_credentials").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().get(header::WWW_AUTHENTICATE).is_some());
    assert_eq!(body_json(r).await["error"], "invalid_client");
    let r = token_request(&app, None, "grant_type=client_credentials").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let both = format!(
        "grant_type=client_credentials&client_secret={}",
        client.secret
    );
    assert_eq!(
        body_json(token_request(&app, Some(&client.basic()), &both).await).await["error"],
        "invalid_request"
    );
    let repeated = token_request(
        &app,
        Some(&client.basic()),
        "grant_type=client_credentials&grant_type=client_credentials",
    )
    .await;
    assert_eq!(body_json(repeated).await["error"], "invalid_request");
    let unknown = token_request(
        &app,
        Some(&client.basic()),
        "grant_type=password&username=a&password=b",
    )
    .await;
    assert_eq!(body_json(unknown).await["error"], "unsupported_grant_type");
    let json_body = send(
        &app,
        Request::post("/oauth2/token")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, client.basic())
            .body(Body::from(r#"{"grant_type":"client_credentials"}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(body_json(json_body).await["error"], "invalid_request");
}

#[tokio::test]
async fn discovery_and_keys() {
    let app = app().await;
    let a = body_json(get(&app, "/.well-known/openid-configuration", None).await).await;
    let b =
        body_json(get(&app, "/oauth2/token/.well-known/openid-configuration", None).await).await;
    assert_eq!(a, b);
    assert_eq!(a["issuer"], format!("{ORIGIN}/oauth2/token"));
    assert_eq!(a["jwks_uri"], format!("{ORIGIN}/oauth2/jwks"));
    assert_eq!(a["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(a["authorization_response_iss_parameter_supported"], true);
    let jwks = body_json(get(&app, "/oauth2/jwks", None).await).await;
    let key = &jwks["keys"][0];
    assert_eq!(
        (
            key["kty"].as_str(),
            key["use"].as_str(),
            key["alg"].as_str()
        ),
        (Some("RSA"), Some("sig"), Some("RS256"))
    );
    assert!(key["kid"].is_string() && key["x5t"].is_string() && key["n"].is_string());
    assert!(key.get("d").is_none(), "never the private key");
}

#[tokio::test]
async fn userinfo_introspection_revocation_over_http() {
    let (app, engine) = app_with_engine().await;
    let client = register(
        &engine,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
    let (_, code) = code_for(&app, &client).await;
    let redeem = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
        form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    );
    let tokens = body_json(token_request(&app, Some(&client.basic()), &redeem).await).await;
    let access = tokens["access_token"].as_str().unwrap();
    let bearer = |t: &str| {
        Request::get("/oauth2/userinfo")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap()
    };
    let info = send(&app, bearer(access)).await;
    assert_eq!(info.status(), StatusCode::OK);
    let info = body_json(info).await;
    assert!(info["sub"].is_string() && info["email"].is_string());
    let none = get(&app, "/oauth2/userinfo", None).await;
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert!(none
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let id_token = tokens["id_token"].as_str().unwrap();
    assert_eq!(
        send(&app, bearer(id_token)).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let introspect = |token: &str| {
        Request::post("/oauth2/introspect")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::AUTHORIZATION, client.basic())
            .body(Body::from(format!("token={token}")))
            .unwrap()
    };
    assert_eq!(
        body_json(send(&app, introspect(access)).await).await["active"],
        true
    );
    assert_eq!(
        body_text(send(&app, introspect("forged.token.value")).await).await,
        r#"{"active":false}"#
    );
    let unauthenticated = send(
        &app,
        Request::post("/oauth2/introspect")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("token={access}")))
            .unwrap(),
    )
    .await;
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);

    let refresh = tokens["refresh_token"].as_str().unwrap();
    let revoked = send(
        &app,
        Request::post("/oauth2/revoke")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::AUTHORIZATION, client.basic())
            .body(Body::from(format!(
                "token={refresh}&token_type_hint=refresh_token"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(
        body_text(send(&app, introspect(access)).await).await,
        r#"{"active":false}"#
    );
    assert_eq!(
        send(&app, bearer(access)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn rp_initiated_logout_checks_the_redirect_and_asks_first() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    let (cookie, code) = code_for(&app, &client).await;
    let redeem = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
        form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    );
    let tokens = body_json(token_request(&app, Some(&client.basic()), &redeem).await).await;
    let hint = tokens["id_token"].as_str().unwrap();

    let unregistered = get(
        &app,
        &format!("/oidc/logout?id_token_hint={hint}&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F"),
        Some(&cookie),
    )
    .await;
    assert_eq!(unregistered.status(), StatusCode::BAD_REQUEST);
    assert!(unregistered.headers().get(header::LOCATION).is_none());
    let bad_hint = get(
        &app,
        "/oidc/logout?id_token_hint=not.a.token",
        Some(&cookie),
    )
    .await;
    assert_eq!(bad_hint.status(), StatusCode::BAD_REQUEST);

    let query = format!(
        "id_token_hint={hint}&post_logout_redirect_uri=https%3A%2F%2Fshop.example%2Fbye&state=s1"
    );
    let ask = get(&app, &format!("/oidc/logout?{query}"), Some(&cookie)).await;
    assert_eq!(ask.status(), StatusCode::OK);
    assert!(body_text(ask).await.contains("Sign out of Guise?"));
    let forged = send(
        &app,
        form_post("/oidc/logout/confirm", Some("cross-site"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{query}&decision=logout")))
            .unwrap(),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let done = send(
        &app,
        form_post("/oidc/logout/confirm", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{query}&decision=logout")))
            .unwrap(),
    )
    .await;
    assert_eq!(location(&done), "https://shop.example/bye?state=s1");
    assert!(set_cookie(&done).unwrap().contains("Max-Age=0"));
    let after = get(&app, "/myaccount", Some(&cookie)).await;
    assert!(location(&after).starts_with("/login"));
}
