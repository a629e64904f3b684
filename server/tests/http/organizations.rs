//! Organization Management > Organizations and an application's Shared Access tab, over HTTP as
//! the pages call them: the tree, New Organization and its field errors, Update, Deactivate,
//! Invite Parent User, Delete (refused while not empty), and sharing My Account.

use super::oauth::{body_json, body_text, get};
use super::*;
use serde_json::{json, Value};

/// Calls a server function as the page would (JSON, same origin): its status and answer.
async fn call(app: &Router, cookie: &str, endpoint: &str, body: Value) -> (StatusCode, Value) {
    let r = send(
        app,
        Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await;
    let status = r.status();
    let text = body_text(r).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn ok(app: &Router, cookie: &str, endpoint: &str, body: Value) -> Value {
    let (status, answer) = call(app, cookie, endpoint, body).await;
    assert_eq!(status, StatusCode::OK, "{endpoint}: {answer}");
    answer
}

/// The administrator, signed in and into the Console (opening a Console page does that).
async fn console_cookie(app: &Router) -> String {
    let cookie = admin_cookie(app).await;
    let page = get(app, "/console/organizations", Some(&cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    cookie
}

/// The message of field `name` in a 422 answer.
fn field_error(answer: &Value, name: &str) -> String {
    answer["Invalid"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["field"] == name))
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no error on {name}: {answer}"))
        .to_owned()
}

async fn create(
    app: &Router,
    cookie: &str,
    name: &str,
    handle: &str,
    parent: Option<&str>,
) -> String {
    let body = json!({ "name": name, "handle": handle, "parent": parent });
    ok(app, cookie, "create_organization", body)
        .await
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_tree_is_built_renamed_deactivated_and_emptied() {
    let app = app().await;
    let cookie = console_cookie(&app).await;
    // The session's abilities (a form-encoded call, like every function without arguments).
    let session = body_json(
        send(
            &app,
            form_post("/api/console_session", Some("same-origin"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await,
    )
    .await;
    assert_eq!(
        session["organizations"],
        json!({ "view": true, "create": true, "update": true, "delete": true })
    );
    let tree = ok(&app, &cookie, "list_organizations", json!({})).await;
    assert_eq!(tree.as_array().unwrap().len(), 1, "{tree}");
    assert_eq!(tree[0]["depth"], 0);

    let child = create(&app, &cookie, "Child", "child", None).await;
    let grandchild = create(&app, &cookie, "Grandchild", "grandchild", Some(&child)).await;
    let tree = ok(&app, &cookie, "list_organizations", json!({})).await;
    let depths: Vec<(String, i64)> = tree
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["handle"].as_str().unwrap().to_owned(),
                o["depth"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(depths[1..], [("child".into(), 1), ("grandchild".into(), 2)]);
    assert_eq!(tree[2]["parent_id"], child.as_str());

    // Field errors name their fields: a handle taken, a name missing.
    let (status, answer) = call(
        &app,
        &cookie,
        "create_organization",
        json!({ "name": "", "handle": "child", "parent": null }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&answer, "name"),
        "Enter the organization's name."
    );
    let (status, answer) = call(
        &app,
        &cookie,
        "create_organization",
        json!({ "name": "Twin", "handle": "child", "parent": null }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&answer, "handle"),
        "Another organization has this handle."
    );
    // A parent that is no id at all is simply not found.
    let (status, _) = call(
        &app,
        &cookie,
        "create_organization",
        json!({ "name": "Lost", "handle": "lost", "parent": "../root" }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    ok(
        &app,
        &cookie,
        "rename_organization",
        json!({ "id": child, "name": "Child renamed" }),
    )
    .await;
    let answer = ok(
        &app,
        &cookie,
        "set_organization_active",
        json!({ "id": grandchild, "active": false }),
    )
    .await;
    assert_eq!(answer, false);
    let tree = ok(&app, &cookie, "list_organizations", json!({})).await;
    assert_eq!(tree[1]["name"], "Child renamed");
    assert_eq!(tree[2]["active"], false);

    // Invite Parent User: an unknown username is a field error; the administrator joins.
    let (status, answer) = call(
        &app,
        &cookie,
        "invite_parent_user",
        json!({ "id": child, "username": "nobody" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&answer, "username"),
        "No user of your organization has this username."
    );
    let invited = ok(
        &app,
        &cookie,
        "invite_parent_user",
        json!({ "id": child, "username": " admin " }),
    )
    .await;
    assert_eq!(invited, "admin");

    // Delete: refused while not empty, said why; the empty grandchild goes.
    let (status, answer) = call(&app, &cookie, "delete_organization", json!({ "id": child })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        answer["Refused"]
            .as_str()
            .unwrap()
            .starts_with("Only an empty organization"),
        "{answer}"
    );
    ok(
        &app,
        &cookie,
        "delete_organization",
        json!({ "id": grandchild }),
    )
    .await;
    let tree = ok(&app, &cookie, "list_organizations", json!({})).await;
    assert_eq!(tree.as_array().unwrap().len(), 2, "{tree}");
    // One's own organization is listed but not managed here.
    let root = tree[0]["id"].as_str().unwrap();
    let (status, _) = call(&app, &cookie, "delete_organization", json!({ "id": root })).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn my_account_is_shared_with_the_organizations_selected() {
    let app = app().await;
    let cookie = console_cookie(&app).await;
    let child = create(&app, &cookie, "Child", "child", None).await;
    create(&app, &cookie, "Sibling", "sibling", None).await;
    let list = ok(
        &app,
        &cookie,
        "list_applications",
        json!({ "search": "", "page": 1 }),
    )
    .await;
    let my_account = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["my_account"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sharing = |app: &Router, cookie: &str| {
        let (app, cookie, id) = (app.clone(), cookie.to_owned(), my_account.clone());
        async move { ok(&app, &cookie, "application_sharing", json!({ "id": id })).await }
    };
    assert_eq!(sharing(&app, &cookie).await, "NotShared");

    let selected = json!({ "Selected": [child] });
    let stored = ok(
        &app,
        &cookie,
        "share_application",
        json!({ "id": my_account, "sharing": selected }),
    )
    .await;
    assert_eq!(stored, selected);
    assert_eq!(sharing(&app, &cookie).await, selected);

    // Not an organization id: a field error on the organizations, and nothing changes.
    let (status, answer) = call(
        &app,
        &cookie,
        "share_application",
        json!({ "id": my_account, "sharing": { "Selected": ["root"] } }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&answer, "organizations"),
        "Choose organizations below yours."
    );
    assert_eq!(sharing(&app, &cookie).await, selected);

    ok(
        &app,
        &cookie,
        "share_application",
        json!({ "id": my_account, "sharing": "All" }),
    )
    .await;
    assert_eq!(sharing(&app, &cookie).await, "All");
}

#[tokio::test]
async fn an_organizations_prefix_signs_in_there_and_keeps_other_sessions_out() {
    let (app, engine) = app_with_engine().await;
    let cookie = console_cookie(&app).await;
    let sales = create(&app, &cookie, "Sales", "sales", None).await;
    let client = super::oauth::register(
        &engine,
        &[engine::applications::GrantType::AuthorizationCode],
    )
    .await;
    let query = super::oauth::authorize_query(&client, &[]);

    // A portal page under the prefix: the organization's sign-in, back to the page itself.
    for prefix in ["/t/sales".to_owned(), format!("/o/{sales}")] {
        let r = get(&app, &format!("{prefix}/console/users"), None).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            location(&r),
            "/login?organization=sales&return_to=%2Fconsole%2Fusers"
        );
    }
    // The root's session does not count in Sales: its authorization request signs in there,
    // and comes back under the prefix.
    let r = get(
        &app,
        &format!("/t/sales/oauth2/authorize?{query}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(
        to.starts_with("/login?organization=sales&return_to=%2Ft%2Fsales%2Foauth2%2Fauthorize%3F"),
        "{to}"
    );
    // The organization hints of an authorization request do the same as the prefix.
    for hint in ["org=sales".to_owned(), format!("orgId={sales}")] {
        let r = get(
            &app,
            &format!("/oauth2/authorize?{query}&{hint}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{hint}");
        let to = location(&r);
        assert!(
            to.starts_with("/login?organization=sales&return_to=%2Foauth2%2Fauthorize%3F"),
            "{hint}: {to}"
        );
    }
    // A hint naming no active organization goes back to the client as invalid_request.
    let r = get(
        &app,
        &format!("/oauth2/authorize?{query}&orgId=2fb64b16-94ee-4727-a542-5db7af91ef06"),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&r).contains("error=invalid_request"),
        "{}",
        location(&r)
    );
    // Without the prefix the same session is signed in (the application asks for consent).
    let r = get(&app, &format!("/oauth2/authorize?{query}"), Some(&cookie)).await;
    assert_eq!(r.status(), StatusCode::OK);
    // An unknown or deactivated organization's prefix is not found.
    let r = get(&app, "/t/nowhere/oauth2/jwks", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get(&app, "/t/sales/oauth2/jwks", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    ok(
        &app,
        &cookie,
        "set_organization_active",
        json!({ "id": sales, "active": false }),
    )
    .await;
    let r = get(&app, "/t/sales/oauth2/jwks", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
