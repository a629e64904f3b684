//! `/api/server/v1/impersonation-sessions` over HTTP: the kill switch's JSON, pause and resume,
//! end all; no token is 401, a token without `internal_impersonation_kill_switch` is 403.

use super::configs::token_with;
use super::*;
use engine::access::scopes;
use serde_json::Value;

const PATH: &str = "/api/server/v1/impersonation-sessions";
const PAUSE: &str = "/api/server/v1/impersonation-sessions/pause";

async fn call(app: &Router, method: &str, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let r = send(app, b.body(Body::empty()).unwrap()).await;
    let status = r.status();
    let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_kill_switch_pauses_resumes_and_ends_over_the_api_with_its_own_scope() {
    let (app, engine) = app_with_engine().await;
    let token = token_with(&app, &engine, &[scopes::IMPERSONATION_KILL_SWITCH]).await;
    let (status, switch) = call(&app, "GET", PATH, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{switch}");
    assert_eq!(switch["paused"], false);
    assert_eq!(switch["live"], 0);
    assert_eq!(switch["everyOrganization"], true);

    let (status, paused) = call(&app, "PUT", PAUSE, Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{paused}");
    assert_eq!(paused["paused"], true);
    assert_eq!(paused["pausedBy"], "admin");
    assert!(paused["pausedAt"].as_str().is_some());
    let (_, resumed) = call(&app, "DELETE", PAUSE, Some(&token)).await;
    assert_eq!(resumed["paused"], false);
    let (status, ended) = call(&app, "DELETE", PATH, Some(&token)).await;
    assert_eq!(
        (status, ended["ended"].clone()),
        (StatusCode::OK, Value::from(0))
    );

    let other = token_with(&app, &engine, &[scopes::CONFIG_UPDATE]).await;
    for (method, path) in [
        ("GET", PATH),
        ("DELETE", PATH),
        ("PUT", PAUSE),
        ("DELETE", PAUSE),
    ] {
        let (status, _) = call(&app, method, path, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        let (status, body) = call(&app, method, path, Some(&other)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        assert!(
            body["description"]
                .as_str()
                .unwrap()
                .contains(scopes::IMPERSONATION_KILL_SWITCH),
            "{body}"
        );
    }
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action IN ('Pause-Impersonation', 'Resume-Impersonation', 'End-All-Impersonations')",
    )
    .fetch_one(engine.db().pool())
    .await
    .unwrap();
    assert_eq!(events, 3);
}
