//! `/scim2/Me` and the country: the user changes their own `addresses` with PATCH, and reads
//! it back; the schema declares what is answered.

use super::oauth::{authorize_query, body_json, get, param, register, token_request, REDIRECT};
use super::oauth::{Client, VERIFIER};
use super::*;
use engine::applications::GrantType;
use serde_json::{json, Value};

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The administrator's access token for `client`, with `internal_login` (what `/Me` needs).
async fn login_token(app: &Router, client: &Client) -> String {
    let query = authorize_query(client, &[("scope", "openid profile internal_login")]);
    let cookie = admin_cookie(app).await;
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
    let code = param(location(&answer), "code").unwrap();
    let redeem = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
        form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    );
    let tokens = body_json(token_request(app, Some(&client.basic()), &redeem).await).await;
    assert!(
        tokens["scope"].as_str().unwrap().contains("internal_login"),
        "{tokens}"
    );
    tokens["access_token"].as_str().unwrap().to_owned()
}

async fn me(app: &Router, method: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let r = send(
        app,
        Request::builder()
            .method(method)
            .uri("/scim2/Me")
            .header(header::CONTENT_TYPE, "application/scim+json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(body.map_or(Body::empty(), |v| Body::from(v.to_string())))
            .unwrap(),
    )
    .await;
    let status = r.status();
    (status, body_json(r).await)
}

fn replace_addresses(country: &str) -> Value {
    json!({
        "schemas": [PATCH_OP],
        "Operations": [{"op": "replace", "path": "addresses",
            "value": [{"type": "home", "primary": true, "country": country}]}]
    })
}

#[tokio::test]
async fn patching_me_with_addresses_changes_the_country() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    let token = login_token(&app, &client).await;

    let (status, before) = me(&app, "GET", &token, None).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert!(before.get("addresses").is_none(), "{before}");

    let (status, patched) = me(&app, "PATCH", &token, Some(replace_addresses(" Sweden "))).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    let home = json!([{"type": "home", "primary": true, "country": "Sweden"}]);
    assert_eq!(patched["addresses"], home);
    let (_, after) = me(&app, "GET", &token, None).await;
    assert_eq!(after["addresses"], home);
    assert_ne!(after["meta"]["version"], before["meta"]["version"]);

    // An add without a path carries the attribute in its value.
    let add = json!({"schemas": [PATCH_OP], "Operations": [{"op": "add",
        "value": {"addresses": [{"type": "home", "primary": true, "country": "Norway"}]}}]});
    let (status, added) = me(&app, "PATCH", &token, Some(add)).await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["addresses"][0]["country"], "Norway");

    // The engine's rules answer as SCIM errors.
    let (status, refused) = me(
        &app,
        "PATCH",
        &token,
        Some(replace_addresses(&"x".repeat(65))),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert!(
        refused["detail"].as_str().unwrap().contains("country"),
        "{refused}"
    );

    // Removing the addresses unsets the country.
    let remove =
        json!({"schemas": [PATCH_OP], "Operations": [{"op": "remove", "path": "addresses"}]});
    let (status, removed) = me(&app, "PATCH", &token, Some(remove)).await;
    assert_eq!(status, StatusCode::OK, "{removed}");
    assert!(removed.get("addresses").is_none(), "{removed}");
}

#[tokio::test]
async fn the_schema_declares_the_addresses_we_answer() {
    let (app, engine) = app_with_engine().await;
    let client = register(&engine, &[GrantType::AuthorizationCode]).await;
    let token = login_token(&app, &client).await;
    let r = send(
        &app,
        Request::get("/scim2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let schema = body_json(r).await;
    let addresses = schema["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "addresses")
        .expect("addresses is declared");
    assert_eq!(addresses["multiValued"], true);
    let subs: Vec<&str> = addresses["subAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(subs, ["type", "primary", "country"]);
}
