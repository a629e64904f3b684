//! The Console's **Impersonate User** and My Account's banner, over HTTP as the pages drive them:
//! the availability the button shows, the form that starts an impersonation, the banner and
//! applications My Account loads, **Stop impersonating**, the user's impersonation sessions, and
//! switching My Account off.

use super::oauth::{body_json, body_text, get};
use super::*;
use serde_json::Value;

/// Calls a server function as the page would (form-encoded, same origin).
pub(super) async fn call(
    app: &Router,
    cookie: &str,
    endpoint: &str,
    body: &str,
) -> http::Response<Body> {
    send(
        app,
        form_post(&format!("/api/{endpoint}"), Some("same-origin"))
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

async fn call_json(app: &Router, cookie: &str, endpoint: &str, body: &str) -> Value {
    let r = call(app, cookie, endpoint, body).await;
    assert_eq!(r.status(), StatusCode::OK, "{endpoint}");
    body_json(r).await
}

/// The reason the button shows, or `None` when it is enabled.
async fn refusal(app: &Router, cookie: &str, user_id: &str) -> Option<String> {
    let answer = call_json(
        app,
        cookie,
        "impersonation_availability",
        &format!("user_id={user_id}"),
    )
    .await;
    if answer.get("Available").is_some() {
        return None;
    }
    Some(answer["Unavailable"]["reason"].as_str().unwrap().to_owned())
}

/// Console > Applications > My Account, as its page loads it.
async fn my_account(app: &Router, cookie: &str) -> Value {
    let json = |endpoint: &str, body: String| {
        Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap()
    };
    let list = body_json(
        send(
            app,
            json("list_applications", r#"{"search":"","page":1}"#.into()),
        )
        .await,
    )
    .await;
    let items = list["items"].as_array().unwrap();
    let mine: Vec<&Value> = items.iter().filter(|a| a["my_account"] == true).collect();
    assert_eq!(mine.len(), 1, "{list}");
    let console = items.iter().find(|a| a["name"] == "Console");
    assert_eq!(console.unwrap()["my_account"], false);
    let id = mine[0]["id"].as_str().unwrap();
    let r = send(app, json("get_application", format!(r#"{{"id":"{id}"}}"#))).await;
    assert_eq!(r.status(), StatusCode::OK);
    body_json(r).await
}

#[tokio::test]
async fn impersonate_from_the_user_page_then_stop() {
    let app = app().await;
    let cookie = admin_cookie(&app).await;
    // Opening a Console page signs the session into the Console.
    assert_eq!(
        get(&app, "/console/users", Some(&cookie)).await.status(),
        StatusCode::OK
    );
    let me = call_json(&app, &cookie, "console_session", "").await;
    let admin_id = me["user_id"].as_str().unwrap().to_owned();
    let created = call_json(
        &app,
        &cookie,
        "create_user",
        "username=ada&email=ada%40example.com&given_name=Ada&family_name=Lovelace&password=ada-password-1",
    )
    .await;
    let ada = created.as_str().unwrap().to_owned();

    // The button: enabled for Ada, disabled with the reason for oneself.
    assert_eq!(refusal(&app, &cookie, &ada).await, None);
    assert_eq!(
        refusal(&app, &cookie, &admin_id).await.as_deref(),
        Some("You cannot impersonate yourself.")
    );
    let history = call_json(
        &app,
        &cookie,
        "impersonation_history",
        &format!("user_id={ada}"),
    )
    .await;
    assert_eq!(history["sessions"], serde_json::json!([]));
    assert_eq!(
        my_account(&app, &cookie).await["enabled"],
        Value::Bool(true)
    );
    let user_page =
        body_text(get(&app, &format!("/console/users/{ada}"), Some(&cookie)).await).await;
    assert!(user_page.contains("Impersonate User"), "{user_page}");
    assert!(user_page.contains("action=\"/auth/impersonation/start\""));

    // Impersonate User: the form lands in My Account as Ada, under the banner.
    let started = send(
        &app,
        form_post("/auth/impersonation/start", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("user_id={ada}")))
            .unwrap(),
    )
    .await;
    assert_eq!(location(&started), "/myaccount");
    let page = get(&app, "/myaccount", Some(&cookie)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = body_text(page).await;
    assert!(
        html.contains("You are impersonating Ada Lovelace (ada)"),
        "{html}"
    );
    assert!(html.contains("impersonation-banner") && html.contains("Stop impersonating"));
    let session = call_json(&app, &cookie, "my_session", "").await;
    let banner = &session["impersonation"];
    assert_eq!(banner["subject_username"], "ada");
    assert_eq!(banner["impersonator_username"], "admin");
    let left = banner["expires_at"].as_i64().unwrap() - banner["now"].as_i64().unwrap();
    assert!(left > 0, "{banner}");
    // No business application lets the administrator in as Ada: an empty list, said so.
    let apps = call_json(&app, &cookie, "my_applications", "").await;
    assert_eq!(apps["impersonating"], Value::Bool(true));
    assert_eq!(apps["applications"], serde_json::json!([]));

    // Stop impersonating: back on Ada's page, as the administrator, with the session recorded.
    let stopped = send(
        &app,
        form_post("/auth/impersonation/stop", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(location(&stopped), format!("/console/users/{ada}"));
    assert_eq!(
        get(&app, &format!("/console/users/{ada}"), Some(&cookie))
            .await
            .status(),
        StatusCode::OK
    );
    let history = call_json(
        &app,
        &cookie,
        "impersonation_history",
        &format!("user_id={ada}"),
    )
    .await;
    let sessions = history["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{history}");
    assert_eq!(sessions[0]["impersonator"], "admin");
    assert_eq!(sessions[0]["subject"], "ada");
    assert_eq!(sessions[0]["end"], "Stopped");
    // The administrator's own history shows it too.
    let own = call_json(
        &app,
        &cookie,
        "impersonation_history",
        &format!("user_id={admin_id}"),
    )
    .await;
    assert_eq!(own["sessions"].as_array().unwrap().len(), 1);
    // My Account is the administrator's own again: no banner.
    assert_eq!(
        get(&app, "/myaccount", Some(&cookie)).await.status(),
        StatusCode::OK
    );
    let mine = call_json(&app, &cookie, "my_session", "").await;
    assert_eq!(mine["impersonation"], Value::Null);
}

#[tokio::test]
async fn with_my_account_disabled_the_button_says_why() {
    let app = app().await;
    let cookie = admin_cookie(&app).await;
    get(&app, "/console/users", Some(&cookie)).await;
    let created = call_json(
        &app,
        &cookie,
        "create_user",
        "username=bob&email=bob%40example.com&given_name=&family_name=&password=bob-password-1",
    )
    .await;
    let bob = created.as_str().unwrap().to_owned();

    assert_eq!(
        call_json(&app, &cookie, "set_my_account_enabled", "enabled=false").await,
        Value::Bool(false)
    );
    let detail = my_account(&app, &cookie).await;
    assert_eq!(detail["enabled"], Value::Bool(false));
    assert_eq!(detail["summary"]["my_account"], Value::Bool(true));
    assert_eq!(
        refusal(&app, &cookie, &bob).await.as_deref(),
        Some("My Account is disabled, so users cannot be impersonated through it.")
    );
    // A malformed id is "not found", not a reason.
    let r = call(&app, &cookie, "impersonation_availability", "user_id=nope").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    assert_eq!(
        call_json(&app, &cookie, "set_my_account_enabled", "enabled=true").await,
        Value::Bool(true)
    );
    assert_eq!(refusal(&app, &cookie, &bob).await, None);
}
