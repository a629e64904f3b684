//! `/api/server/v1/configs/impersonation` over HTTP: the contract's JSON, PATCH and DELETE, bad
//! bodies, no token, a token without the scope.

use super::oauth::{body_json, register_authorized, token_request, REDIRECT, VERIFIER};
use super::*;
use engine::applications::GrantType;
use engine::roles::{NewRole, RoleAudience};
use serde_json::{json, Value};

const PATH: &str = "/api/server/v1/configs/impersonation";

/// An access token of the administrator carrying `scopes` (granted by a role of a new application).
pub(super) async fn token_with(app: &Router, engine: &Engine, scopes: &[&str]) -> String {
    let client = register_authorized(engine, &[GrantType::AuthorizationCode], scopes).await;
    let org = engine.root_org().await.unwrap();
    engine
        .create_role(
            "test",
            &org,
            NewRole {
                name: format!("Configs {}", uuid_like()),
                audience: RoleAudience::Application(client.id.clone()),
                permissions: scopes.iter().map(|s| (*s).to_owned()).collect(),
                assign: vec!["admin".into()],
            },
            engine::Timestamp(0),
        )
        .await
        .unwrap();
    let scope = format!("openid {}", scopes.join(" "));
    let query = super::oauth::authorize_query(&client, &[("scope", &scope)]);
    let cookie = admin_cookie(app).await;
    super::oauth::get(app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    let answer = send(
        app,
        form_post("/oauth2/consent", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{query}&decision=allow")))
            .unwrap(),
    )
    .await;
    let code = super::oauth::param(location(&answer), "code").unwrap();
    let redeem = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
        form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    );
    let tokens = body_json(token_request(app, Some(&client.basic()), &redeem).await).await;
    tokens["access_token"].as_str().unwrap().to_owned()
}

async fn call(
    app: &Router,
    method: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(PATH)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let r = send(
        app,
        b.body(body.map_or(Body::empty(), |s| Body::from(s.to_owned())))
            .unwrap(),
    )
    .await;
    let status = r.status();
    let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

const OFF: &str = r#"[{"operation":"REPLACE","path":"/enableEmailNotification","value":false}]"#;

#[tokio::test]
async fn the_impersonation_config_reads_changes_and_resets_as_the_contract_says() {
    let (app, engine) = app_with_engine().await;
    let token = token_with(
        &app,
        &engine,
        &["internal_config_view", "internal_config_update"],
    )
    .await;
    let t = Some(token.as_str());
    assert_eq!(
        call(&app, "GET", t, None).await,
        (StatusCode::OK, json!({ "enableEmailNotification": true }))
    );
    assert_eq!(
        call(&app, "PATCH", t, Some(OFF)).await,
        (StatusCode::OK, json!({ "enableEmailNotification": false }))
    );
    assert_eq!(
        call(&app, "GET", t, None).await.1,
        json!({ "enableEmailNotification": false })
    );
    assert_eq!(
        call(&app, "DELETE", t, None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&app, "GET", t, None).await.1,
        json!({ "enableEmailNotification": true })
    );
}

#[tokio::test]
async fn bad_bodies_are_400_with_a_reason_and_change_nothing() {
    let (app, engine) = app_with_engine().await;
    let token = token_with(
        &app,
        &engine,
        &["internal_config_view", "internal_config_update"],
    )
    .await;
    let t = Some(token.as_str());
    for bad in [
        "not json",
        "{\"enableEmailNotification\":false}",
        "[]",
        r#"[{"operation":"REMOVE","path":"/enableEmailNotification"}]"#,
        r#"[{"operation":"REPLACE","path":"/somethingElse","value":false}]"#,
        r#"[{"operation":"REPLACE","path":"/enableEmailNotification","value":"no"}]"#,
        r#"[{"operation":"REPLACE","path":"/enableEmailNotification"}]"#,
        r#"[{"operation":"REPLACE","path":"/enableEmailNotification","value":false,"extra":1}]"#,
    ] {
        let (status, body) = call(&app, "PATCH", t, Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert!(
            body["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{body}"
        );
    }
    assert_eq!(
        call(&app, "GET", t, None).await.1,
        json!({ "enableEmailNotification": true })
    );
}

#[tokio::test]
async fn no_token_is_401_and_a_token_without_the_scope_is_403() {
    let (app, engine) = app_with_engine().await;
    for method in ["GET", "PATCH", "DELETE"] {
        let (status, _) = call(&app, method, None, Some(OFF)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method}");
        let (status, _) = call(&app, method, Some("forged"), Some(OFF)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method}");
    }
    let viewer = token_with(&app, &engine, &["internal_config_view"]).await;
    let v = Some(viewer.as_str());
    assert_eq!(call(&app, "GET", v, None).await.0, StatusCode::OK);
    assert_eq!(
        call(&app, "PATCH", v, Some(OFF)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(&app, "PATCH", v, Some("garbage")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(call(&app, "DELETE", v, None).await.0, StatusCode::FORBIDDEN);
    let other = token_with(&app, &engine, &["internal_user_mgt_list"]).await;
    assert_eq!(
        call(&app, "GET", Some(&other), None).await.0,
        StatusCode::FORBIDDEN
    );
}
