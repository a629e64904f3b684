//! The protocol faults hostile testing found, driven over HTTP as the attacker sent them: a forged
//! re-authentication parameter, the portals used as OAuth clients, PKCE without a verifier,
//! upper-case auth schemes, a cross-scheme origin and a duplicated refresh.

use super::oauth::*;
use super::*;
use engine::access::CONSOLE_APP;
use engine::applications::GrantType;

fn encoded(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn redeem_body(code: &str, verifier: Option<&str>) -> String {
    let mut body = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}",
        encoded(REDIRECT)
    );
    if let Some(v) = verifier {
        body.push_str(&format!("&code_verifier={v}"));
    }
    body
}

#[tokio::test]
async fn prompt_login_cannot_be_skipped_by_a_parameter_in_the_url() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    // Signed in and consented: without prompt=login, a code would come at once.
    let (cookie, _) = code_for(&app, &client).await;
    for forged in [
        ("guise_auth_after", "0"),
        ("guise_reauth", "0"),
        ("guise_reauth", "forged"),
    ] {
        let query = authorize_query(&client, &[("prompt", "login"), forged]);
        let r = get(&app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
        assert!(
            location(&r).starts_with("/login?return_to="),
            "{forged:?}: {}",
            location(&r)
        );
    }

    // Signing in again and following the way back gets the code.
    let query = authorize_query(&client, &[("prompt", "login")]);
    let r = get(&app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    let return_to = param(location(&r), "return_to").unwrap();
    assert!(return_to.contains("guise_reauth="), "{return_to}");
    let signed_in = login(
        &app,
        &format!(
            "username=admin&password=admin-password-1&return_to={}",
            encoded(&return_to)
        ),
        Some("same-origin"),
    )
    .await;
    assert_eq!(location(&signed_in), return_to);
    let fresh = set_cookie(&signed_in).unwrap();
    let fresh = fresh.split(';').next().unwrap();
    let back = get(&app, &return_to, Some(fresh)).await;
    let to = location(&back);
    assert!(
        to.starts_with(REDIRECT) && param(to, "code").is_some(),
        "{to}"
    );
}

#[tokio::test]
async fn the_console_cannot_be_used_as_an_oauth_client() {
    let (app, engine) = app_with_engine().await;
    let cookie = admin_cookie(&app).await;
    // The Console still signs the session in, in process.
    let page = get(&app, "/console", Some(&cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);

    let console = engine.system_application(CONSOLE_APP).await.unwrap();
    let callback = format!("{ORIGIN}/console/callback");
    assert!(console.redirect_uris.contains(&callback));
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &console.client_id)
        .append_pair("redirect_uri", &callback)
        .append_pair("scope", "openid internal_login internal_user_mgt_list")
        .append_pair("code_challenge", CHALLENGE)
        .append_pair("code_challenge_method", "S256")
        .finish();
    let r = get(&app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers().get(header::LOCATION).is_none());

    for grant in [
        format!(
            "grant_type=authorization_code&code=any&redirect_uri={}&code_verifier={VERIFIER}",
            encoded(&callback)
        ),
        "grant_type=refresh_token&refresh_token=any".to_owned(),
    ] {
        let body = format!("{grant}&client_id={}", console.client_id);
        let r = token_request(&app, None, &body).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{grant}");
        assert_eq!(r.headers().get(header::CACHE_CONTROL).unwrap(), "no-store");
        assert_eq!(body_json(r).await["error"], "invalid_client", "{grant}");
    }
}

#[tokio::test]
async fn a_code_with_a_challenge_redeemed_without_a_verifier_is_an_invalid_grant() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    let (_, code) = code_for(&app, &client).await;
    let r = token_request(&app, Some(&client.basic()), &redeem_body(&code, None)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body_json(r).await["error"], "invalid_grant");
}

#[tokio::test]
async fn auth_schemes_are_case_insensitive() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    let (_, code) = code_for(&app, &client).await;
    let upper_basic = client.basic().replacen("Basic", "BASIC", 1);
    let r = token_request(
        &app,
        Some(&upper_basic),
        &redeem_body(&code, Some(VERIFIER)),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let access = body_json(r).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let r = send(
            &app,
            Request::get("/oauth2/userinfo")
                .header(header::AUTHORIZATION, format!("{scheme} {access}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{scheme}");
    }
}

#[tokio::test]
async fn an_origin_on_our_host_with_another_scheme_is_cross_site() {
    let app = app().await;
    let body = "username=admin&password=admin-password-1";
    let other_scheme = form_post("/auth/login", None)
        .header(header::ORIGIN, "https://127.0.0.1:3000")
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::from(body))
        .unwrap();
    let r = send(&app, other_scheme).await;
    assert_eq!(location(&r), "/login?error=forbidden_origin");
    assert!(set_cookie(&r).is_none());
    // The same host over our scheme is ours.
    let same = form_post("/auth/login", None)
        .header(header::ORIGIN, "http://localhost:3000")
        .header(header::HOST, "localhost:3000")
        .body(Body::from(body))
        .unwrap();
    assert!(set_cookie(&send(&app, same).await).is_some());
}

/// Signs in with a new application that may refresh and returns its first refresh token.
async fn first_refresh_token(app: &Router, client: &super::oauth::Client) -> String {
    let (_, code) = code_for(app, client).await;
    let tokens = body_json(
        token_request(
            app,
            Some(&client.basic()),
            &redeem_body(&code, Some(VERIFIER)),
        )
        .await,
    )
    .await;
    tokens["refresh_token"].as_str().unwrap().to_owned()
}

/// Refreshes with `rt`; the status and the answer.
async fn refresh_with(
    app: &Router,
    client: &super::oauth::Client,
    rt: &str,
) -> (StatusCode, serde_json::Value) {
    let r = token_request(
        app,
        Some(&client.basic()),
        &format!("grant_type=refresh_token&refresh_token={rt}"),
    )
    .await;
    (r.status(), body_json(r).await)
}

#[tokio::test]
async fn a_duplicated_refresh_ends_the_family_unless_the_application_allows_a_grace_period() {
    let g = super::impersonation::guide().await;
    let (app, engine) = (&g.app, &g.engine);
    let client = register(
        engine,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;

    // By default (RFC 9700): the second use of a rotated token ends the family, the winner's too.
    let rt = first_refresh_token(app, &client).await;
    let (status, won) = refresh_with(app, &client, &rt).await;
    assert_eq!(status, StatusCode::OK);
    let (status, lost) = refresh_with(app, &client, &rt).await;
    assert_eq!(
        (status, lost["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let (status, _) = refresh_with(app, &client, won["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // With a Refresh token grace period, a duplicate within it is refused and ends nothing.
    let client = register(
        engine,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
    let stored = engine.application_by_client_id(&client.id).await.unwrap();
    engine
        .update_application_protocol(
            &g.admin,
            &stored.id,
            engine::applications::ProtocolSettings {
                redirect_uris: vec![super::oauth::REDIRECT.into()],
                post_logout_redirect_uris: vec![],
                grant_types: stored.grant_types.clone(),
                pkce_required: stored.pkce_required,
                access_token_lifetime: stored.access_token_lifetime,
                refresh_token_lifetime: stored.refresh_token_lifetime,
                id_token_lifetime: stored.id_token_lifetime,
                subject_token_enabled: false,
                subject_token_lifetime: stored.subject_token_lifetime,
                refresh_grace_secs: 30,
            },
            SystemClock.now(),
        )
        .await
        .unwrap();
    let rt = first_refresh_token(app, &client).await;
    let (_, won) = refresh_with(app, &client, &rt).await;
    let (status, lost) = refresh_with(app, &client, &rt).await;
    assert_eq!(
        (status, lost["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let (status, _) = refresh_with(app, &client, won["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
}
