//! Every change-making request leaves its audit event under a correlation id the server made,
//! whatever its outcome; the caller's own id never tells requests apart (issue 20).

use super::audit_requests::{impersonated_token, log_lines};
use super::impersonation::guide;
use super::oauth::get;
use super::*;
use engine::access::scopes;

#[tokio::test]
async fn every_change_making_request_is_audited_once_under_the_servers_correlation_id() {
    let g = guide().await;
    let olga_may = [scopes::USER_LIST, scopes::USER_VIEW];
    let (token, admin, _, _) = impersonated_token(&g, &olga_may, &olga_may).await;
    let send_with = |method: &'static str, uri: &'static str, body: &'static str| {
        let app = g.app.clone();
        let token = token.clone();
        async move {
            send(
                &app,
                Request::builder()
                    .method(method)
                    .uri(uri)
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, "application/scim+json")
                    // The caller's own id, the same on every request.
                    .header("x-correlation-id", "same-id")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
        }
    };
    let before = log_lines(&g.engine).await.len();
    let country = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"addresses[type eq \"work\"].country","value":"Norway"}]}"#;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = send_with("PATCH", "/scim2/Me", country).await;
        assert_eq!(r.status(), StatusCode::OK);
        let id = r.headers()["x-correlation-id"].to_str().unwrap().to_owned();
        assert_ne!(id, "same-id");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
    // A change refused as invalid, and a request that changes nothing of ours.
    let bad = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"a b"}]}"#;
    let r = send_with("PATCH", "/scim2/Me", bad).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let rejected = r.headers()["x-correlation-id"].to_str().unwrap().to_owned();
    let r = send_with("POST", "/oauth2/userinfo", "").await;
    assert_eq!(r.status(), StatusCode::OK);
    let userinfo = r.headers()["x-correlation-id"].to_str().unwrap().to_owned();

    let lines = log_lines(&g.engine).await;
    let request_events: Vec<&String> = lines[before..]
        .iter()
        .filter(|l| l.contains("-via-impersonation "))
        .collect();
    assert_eq!(request_events.len(), 4, "{request_events:#?}");
    for (line, (id, action, outcome)) in request_events.iter().zip([
        (
            &ids[0],
            "resource-modification-via-impersonation",
            "AUTHORIZED",
        ),
        (
            &ids[1],
            "resource-modification-via-impersonation",
            "AUTHORIZED",
        ),
        (
            &rejected,
            "resource-modification-via-impersonation",
            "REJECTED",
        ),
        (
            &userinfo,
            "resource-creation-via-impersonation",
            "AUTHORIZED",
        ),
    ]) {
        assert!(line.contains(&format!("[{id}]")), "{line}");
        assert!(
            line.contains(&format!("Initiator={admin} Action={action} ")),
            "{line}"
        );
        assert!(line.ends_with(&format!("Outcome={outcome}")), "{line}");
    }
}

#[tokio::test]
async fn a_console_change_is_recorded_under_the_correlation_id_of_its_request() {
    let (app, engine) = app_with_engine().await;
    let cookie = admin_cookie(&app).await;
    // Opening a Console page signs the session into the Console.
    assert_eq!(
        get(&app, "/console/users", Some(&cookie)).await.status(),
        StatusCode::OK
    );
    let r = super::impersonation_pages::call(
        &app,
        &cookie,
        "create_user",
        "username=grace&email=grace%40example.com&given_name=Grace&family_name=Hopper&password=grace-password-1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let id = r.headers()["x-correlation-id"].to_str().unwrap().to_owned();
    let lines = log_lines(&engine).await;
    let added: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("Action=Add-User") && l.contains("grace"))
        .collect();
    assert_eq!(added.len(), 1, "{lines:#?}");
    assert!(added[0].contains(&format!("[{id}]")), "{}", added[0]);
}
