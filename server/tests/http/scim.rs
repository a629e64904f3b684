//! SCIM 2.0 over HTTP with the bad inputs: no token, a token without the scope, an ID token,
//! unsupported filters, unknown ids, taken usernames, malformed PATCH requests.

use super::oauth::{body_json, code_for, register, token_request, Client, REDIRECT, VERIFIER};
use super::*;
use engine::applications::GrantType;
use engine::roles::{NewRole, RoleAudience};
use serde_json::{json, Value};

const ALL: [&str; 5] = [
    "internal_user_mgt_list",
    "internal_user_mgt_view",
    "internal_user_mgt_create",
    "internal_user_mgt_update",
    "internal_user_mgt_delete",
];

/// The admin's tokens for `client` (scope as requested by `code_for`, widened by `scope`).
async fn tokens(app: &Router, client: &Client) -> Value {
    let (_, code) = code_for(app, client).await;
    let redeem = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
        form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    );
    body_json(token_request(app, Some(&client.basic()), &redeem).await).await
}

async fn scim(
    app: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/scim+json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let r = send(
        app,
        b.body(body.map_or(Body::empty(), |v| Body::from(v.to_string())))
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

#[tokio::test]
async fn scim_users_need_a_token_with_the_scope() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    let plain = tokens(&app, &client).await;

    let (status, body) = scim(&app, "GET", "/scim2/Users", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert_eq!(body["status"], "401");
    let id_token = plain["id_token"].as_str().unwrap();
    assert_eq!(
        scim(&app, "GET", "/scim2/Users", Some(id_token), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let access = plain["access_token"].as_str().unwrap();
    let (status, body) = scim(&app, "GET", "/scim2/Users", Some(access), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        scim(&app, "GET", "/scim2/Nope", Some(access), None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn scim_users_crud_and_its_errors() {
    let (app, engine) = app_with_engine().await;
    let client =
        super::oauth::register_authorized(&engine, &[GrantType::AuthorizationCode], &ALL).await;
    let org = engine.root_org().await.unwrap();
    engine
        .create_role(
            "test",
            &org,
            NewRole {
                name: "Provisioning".into(),
                audience: RoleAudience::Application(client.id.clone()),
                permissions: ALL.iter().map(|s| (*s).to_owned()).collect(),
                assign: vec!["admin".into()],
            },
            engine::Timestamp(0),
        )
        .await
        .unwrap();
    // `code_for` asks for `openid email`; the role's scopes must be requested to be granted.
    let scope = format!("openid {}", ALL.join(" "));
    let query = super::oauth::authorize_query(&client, &[("scope", &scope)]);
    let cookie = admin_cookie(&app).await;
    let consent =
        super::oauth::get(&app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    assert_eq!(consent.status(), StatusCode::OK);
    let answer = send(
        &app,
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
    let tokens = body_json(token_request(&app, Some(&client.basic()), &redeem).await).await;
    assert!(
        tokens["scope"]
            .as_str()
            .unwrap()
            .contains("internal_user_mgt_create"),
        "{tokens}"
    );
    let t = tokens["access_token"].as_str();

    let new = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "bjensen", "externalId": "701984",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": "bjensen@example.com"}], "password": "t1meMa$heen"
    });
    let (status, created) = scim(&app, "POST", "/scim2/Users", t, Some(new.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(created.get("password").is_none());
    assert_eq!(created["active"], true);
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, taken) = scim(&app, "POST", "/scim2/Users", t, Some(new)).await;
    assert_eq!(
        (status, taken["scimType"].as_str()),
        (StatusCode::CONFLICT, Some("uniqueness"))
    );
    let (status, invalid) = scim(
        &app,
        "POST",
        "/scim2/Users",
        t,
        Some(json!({"userName": "x y z", "emails": [{"value": "nope"}]})),
    )
    .await;
    assert_eq!(
        (status, invalid["scimType"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalidValue"))
    );

    let (status, found) = scim(
        &app,
        "GET",
        "/scim2/Users?filter=userName%20eq%20%22BJENSEN%22",
        t,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["totalResults"], 1);
    assert_eq!(found["Resources"][0]["id"], id.as_str());
    let (status, bad) = scim(
        &app,
        "GET",
        "/scim2/Users?filter=userName%20sw%20%22b%22",
        t,
        None,
    )
    .await;
    assert_eq!(
        (status, bad["scimType"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalidFilter"))
    );

    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": false}, {"op": "add", "path": "name.givenName", "value": "Babs"}]});
    let (status, patched) =
        scim(&app, "PATCH", &format!("/scim2/Users/{id}"), t, Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(
        (
            patched["active"].as_bool(),
            patched["name"]["givenName"].as_str()
        ),
        (Some(false), Some("Babs"))
    );
    let bad_patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "id", "value": "x"}]});
    assert_eq!(
        scim(
            &app,
            "PATCH",
            &format!("/scim2/Users/{id}"),
            t,
            Some(bad_patch)
        )
        .await
        .0,
        StatusCode::BAD_REQUEST
    );

    assert_eq!(
        scim(&app, "DELETE", &format!("/scim2/Users/{id}"), t, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        scim(&app, "GET", &format!("/scim2/Users/{id}"), t, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        scim(&app, "GET", "/scim2/Users/not-a-uuid", t, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // The administrator cannot deactivate themselves through SCIM either.
    let (_, me) = scim(
        &app,
        "GET",
        "/scim2/Users?filter=userName%20eq%20%22admin%22",
        t,
        None,
    )
    .await;
    let admin_id = me["Resources"][0]["id"].as_str().unwrap().to_owned();
    let off = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": false}]});
    assert_eq!(
        scim(
            &app,
            "PATCH",
            &format!("/scim2/Users/{admin_id}"),
            t,
            Some(off)
        )
        .await
        .0,
        StatusCode::BAD_REQUEST
    );
}
