//! SCIM against the attacks that worked before: a user manager for one business application taking
//! over an administrator, lost updates between concurrent PATCHes, and a failing database read as
//! "your token is invalid". Plus the versions (ETags) that make changes conditional.

use super::oauth::{authorize_query, body_json, param, register_authorized, token_request};
use super::oauth::{Client, REDIRECT, VERIFIER};
use super::*;
use engine::applications::GrantType;
use engine::roles::{NewRole, RoleAudience};
use http::HeaderMap;
use serde_json::{json, Value};

const USER_MANAGEMENT: [&str; 5] = [
    "internal_user_mgt_list",
    "internal_user_mgt_view",
    "internal_user_mgt_create",
    "internal_user_mgt_update",
    "internal_user_mgt_delete",
];
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A provisioning application and its role (user management, audience: the application) for
/// the administrator.
async fn provisioning(engine: &Engine) -> Client {
    let client =
        register_authorized(engine, &[GrantType::AuthorizationCode], &USER_MANAGEMENT).await;
    grant_user_management(engine, &client, "admin").await;
    client
}

/// Gives `username` user management for `client` only (a role whose audience is that application).
async fn grant_user_management(engine: &Engine, client: &Client, username: &str) {
    let org = engine.root_org().await.unwrap();
    engine
        .create_role(
            "test",
            &org,
            NewRole {
                name: format!("Provisioning for {username}"),
                audience: RoleAudience::Application(client.id.clone()),
                permissions: USER_MANAGEMENT.iter().map(|s| (*s).to_owned()).collect(),
                assign: vec![username.into()],
            },
            engine::Timestamp(0),
        )
        .await
        .unwrap();
}

/// Signs `username` in, consents, and returns their access token for `client`.
async fn token_for(app: &Router, client: &Client, username: &str, password: &str) -> String {
    let r = login(
        app,
        &format!("username={username}&password={password}"),
        Some("same-origin"),
    )
    .await;
    let cookie = set_cookie(&r).expect("a session cookie");
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let scope = format!("openid {}", USER_MANAGEMENT.join(" "));
    let query = authorize_query(client, &[("scope", &scope)]);
    let consent =
        super::oauth::get(app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    assert_eq!(consent.status(), StatusCode::OK);
    let answer = send(
        app,
        form_post("/oauth2/consent", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{query}&decision=allow")))
            .unwrap(),
    )
    .await;
    let code = param(location(&answer), "code").unwrap();
    let redeem = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
        form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    );
    let tokens = body_json(token_request(app, Some(&client.basic()), &redeem).await).await;
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// One SCIM request; answers the status, the headers and the JSON body.
async fn scim(
    app: &Router,
    method: &str,
    uri: &str,
    token: &str,
    if_match: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, HeaderMap, Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/scim+json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(tag) = if_match {
        b = b.header(header::IF_MATCH, tag);
    }
    let r = send(
        app,
        b.body(body.map_or(Body::empty(), |v| Body::from(v.to_string())))
            .unwrap(),
    )
    .await;
    let (status, headers) = (r.status(), r.headers().clone());
    let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Creates a user through SCIM with a password; returns their id.
async fn create(app: &Router, token: &str, username: &str, password: &str) -> String {
    let (status, _, body) = scim(
        app,
        "POST",
        "/scim2/Users",
        token,
        None,
        Some(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": username, "emails": [{"value": format!("{username}@example.com")}],
            "password": password
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

async fn id_of(app: &Router, token: &str, username: &str) -> String {
    let (_, _, found) = scim(
        app,
        "GET",
        &format!("/scim2/Users?filter=userName%20eq%20%22{username}%22"),
        token,
        None,
        None,
    )
    .await;
    found["Resources"][0]["id"].as_str().unwrap().to_owned()
}

fn patch(ops: Value) -> Option<Value> {
    Some(json!({ "schemas": [PATCH_OP], "Operations": ops }))
}

fn etag(headers: &HeaderMap) -> String {
    headers
        .get(header::ETAG)
        .expect("an ETag")
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_user_manager_for_one_application_cannot_take_over_an_administrator() {
    let (app, engine) = app_with_engine().await;
    let client = provisioning(&engine).await;
    let admin_token = token_for(&app, &client, "admin", "admin-password-1").await;
    create(&app, &admin_token, "mallory", "mallory-password-1").await;
    let victim = create(&app, &admin_token, "victim", "victim-password-1").await;
    // Mallory manages users for the business application only.
    grant_user_management(&engine, &client, "mallory").await;
    let mallory = token_for(&app, &client, "mallory", "mallory-password-1").await;
    let admin_id = id_of(&app, &mallory, "admin").await;
    let admin_user = format!("/scim2/Users/{admin_id}");

    let take_over =
        patch(json!([{"op": "replace", "path": "password", "value": "owned-by-mallory-1"}]));
    let (status, _, body) = scim(&app, "PATCH", &admin_user, &mallory, None, take_over).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let disable = patch(json!([{"op": "replace", "path": "active", "value": false}]));
    let (status, _, _) = scim(&app, "PATCH", &admin_user, &mallory, None, disable).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let replace = json!({"userName": "admin", "emails": [{"value": "m@example.com"}],
        "password": "owned-by-mallory-1"});
    let (status, _, _) = scim(&app, "PUT", &admin_user, &mallory, None, Some(replace)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = scim(&app, "DELETE", &admin_user, &mallory, None, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The administrator is untouched: the old password works, Mallory's does not.
    let r = login(
        &app,
        "username=admin&password=owned-by-mallory-1",
        Some("same-origin"),
    )
    .await;
    assert!(set_cookie(&r).is_none());
    let r = login(
        &app,
        "username=admin&password=admin-password-1",
        Some("same-origin"),
    )
    .await;
    assert!(set_cookie(&r).is_some());

    // Her scope still works on users within her reach.
    let reset = patch(json!([{"op": "replace", "path": "password", "value": "victim-password-2"}]));
    let (status, _, body) = scim(
        &app,
        "PATCH",
        &format!("/scim2/Users/{victim}"),
        &mallory,
        None,
        reset,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn versions_make_changes_conditional() {
    let (app, engine) = app_with_engine().await;
    let client = provisioning(&engine).await;
    let t = token_for(&app, &client, "admin", "admin-password-1").await;
    let (_, _, config) = scim(&app, "GET", "/scim2/ServiceProviderConfig", &t, None, None).await;
    assert_eq!(config["etag"]["supported"], true);

    let id = create(&app, &t, "bjensen", "bjensen-password-1").await;
    let uri = format!("/scim2/Users/{id}");
    let (status, headers, user) = scim(&app, "GET", &uri, &t, None, None).await;
    assert_eq!(status, StatusCode::OK);
    let first = etag(&headers);
    assert_eq!(user["meta"]["version"], first.as_str());
    let mut unchanged = Request::get(&uri)
        .header(header::AUTHORIZATION, format!("Bearer {t}"))
        .header(header::IF_NONE_MATCH, &first);
    unchanged = unchanged.header(header::ACCEPT, "application/scim+json");
    let r = send(&app, unchanged.body(Body::empty()).unwrap()).await;
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);

    let rename = patch(json!([{"op": "replace", "path": "name.givenName", "value": "Barbara"}]));
    let (status, headers, changed) =
        scim(&app, "PATCH", &uri, &t, Some(&first), rename.clone()).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    let second = etag(&headers);
    assert_ne!(first, second);
    assert_eq!(changed["meta"]["version"], second.as_str());

    // The first version is stale now: PATCH, PUT and DELETE refuse it, and change nothing.
    let (status, _, _) = scim(&app, "PATCH", &uri, &t, Some(&first), rename).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let whole = json!({"userName": "bjensen", "emails": [{"value": "b@example.com"}]});
    let (status, _, _) = scim(&app, "PUT", &uri, &t, Some(&first), Some(whole.clone())).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, _, _) = scim(&app, "DELETE", &uri, &t, Some(&first), None).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (_, headers, _) = scim(&app, "GET", &uri, &t, None, None).await;
    assert_eq!(etag(&headers), second);

    let (status, headers, _) = scim(&app, "PUT", &uri, &t, Some(&second), Some(whole)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(etag(&headers), second);
    let (status, _, _) = scim(&app, "DELETE", &uri, &t, Some("*"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_patches_both_land() {
    let (app, engine) = app_with_engine().await;
    let client = provisioning(&engine).await;
    let t = token_for(&app, &client, "admin", "admin-password-1").await;
    let id = create(&app, &t, "conc", "conc-password-1").await;
    let uri = format!("/scim2/Users/{id}");
    for round in 0..8 {
        let given = format!("Given{round}");
        let family = format!("Family{round}");
        let one = patch(json!([{"op": "replace", "path": "name.givenName", "value": given}]));
        let two = patch(json!([{"op": "replace", "path": "name.familyName", "value": family}]));
        let (a, b) = tokio::join!(
            scim(&app, "PATCH", &uri, &t, None, one),
            scim(&app, "PATCH", &uri, &t, None, two)
        );
        assert_eq!(
            (a.0, b.0),
            (StatusCode::OK, StatusCode::OK),
            "{} {}",
            a.2,
            b.2
        );
        let (_, _, now) = scim(&app, "GET", &uri, &t, None, None).await;
        assert_eq!(
            now["name"]["givenName"],
            given.as_str(),
            "round {round}: {now}"
        );
        assert_eq!(
            now["name"]["familyName"],
            family.as_str(),
            "round {round}: {now}"
        );
    }
}

#[tokio::test]
async fn a_failing_database_is_503_never_signed_out() {
    let (app, engine) = app_with_engine().await;
    let client = provisioning(&engine).await;
    let t = token_for(&app, &client, "admin", "admin-password-1").await;
    let cookie = admin_cookie(&app).await;
    engine.db().close().await;

    let (status, _, body) = scim(&app, "GET", "/scim2/Users", &t, None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("reference"),
        "{body}"
    );
    // A Console page is an error, not a trip to the login page.
    let page = super::oauth::get(&app, "/console", Some(&cookie)).await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    // A server function too: 503, not "not signed in" (401) nor a bare 500.
    let call = send(
        &app,
        form_post("/api/list_users", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::from("search=&page=1"))
            .unwrap(),
    )
    .await;
    assert_eq!(call.status(), StatusCode::SERVICE_UNAVAILABLE);
    let text = super::oauth::body_text(call).await;
    assert!(
        text.contains("reference") && !text.contains("database"),
        "{text}"
    );
}
