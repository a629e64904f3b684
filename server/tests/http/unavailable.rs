//! With the database gone, every kind of endpoint answers 503 at once, says when to try again, and
//! the OAuth endpoints say so in JSON; liveness still answers, readiness does not.

use super::mail::sign_in_admin;
use super::oauth::register;
use super::*;
use engine::applications::GrantType;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request over TCP: the status, the headers (names lowercased) and the body.
pub(super) async fn exchange(base: &str, request: String) -> (u16, Vec<(String, String)>, String) {
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn get(path: &str, extra: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {ORIGIN_HOST}\r\n{extra}Connection: close\r\n\r\n")
}

const ORIGIN_HOST: &str = "127.0.0.1:3000";

pub(super) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn without_its_database_every_endpoint_answers_503_at_once() {
    let (router, engine) = app_with_engine().await;
    let server = listen(router).await;
    let client = register(&engine, &[GrantType::ClientCredentials]).await;
    let token_request = |body: &str| {
        format!(
            "POST /oauth2/token HTTP/1.1\r\nHost: {ORIGIN_HOST}\r\nAuthorization: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            client.basic(),
            body.len()
        )
    };
    let (status, _, body) =
        exchange(&server.base, token_request("grant_type=client_credentials")).await;
    assert_eq!(status, 200, "{body}");
    let access = serde_json::from_str::<serde_json::Value>(&body).unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = sign_in_admin(&engine, SystemClock.now()).await;
    let cookie = format!("Cookie: guise_session={}\r\n", session.token.expose());
    assert_eq!(
        exchange(&server.base, get("/health/ready", "")).await.0,
        200
    );

    engine.db().close().await;

    let started = Instant::now();
    let (status, _, body) = exchange(&server.base, get("/health/live", "")).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let bearer = format!("Authorization: Bearer {access}\r\n");
    let answers = [
        ("readiness", get("/health/ready", "")),
        (
            "token endpoint",
            token_request("grant_type=client_credentials"),
        ),
        ("SCIM", get("/scim2/Users", &bearer)),
        ("userinfo", get("/oauth2/userinfo", &bearer)),
        ("Console page", get("/console/users", &cookie)),
    ];
    let rendering = ROUTE_LIST_GENERATION.read().await;
    for (what, request) in answers {
        let (status, headers, body) = exchange(&server.base, request).await;
        assert_eq!(status, 503, "{what}: {body}");
        assert_eq!(header(&headers, "retry-after"), Some("1"), "{what}");
        assert!(
            !body.contains("database"),
            "{what} shows our detail: {body}"
        );
        if what == "token endpoint" {
            let error: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(error["error"], "temporarily_unavailable");
            assert_eq!(header(&headers, "content-type"), Some("application/json"));
        }
    }
    drop(rendering);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answering took {:?}",
        started.elapsed()
    );
    let _ = server.stop.send(());
}

#[tokio::test]
async fn a_draining_node_fails_readiness_and_still_serves() {
    let (state, _, _) = state_configured(|_| ()).await;
    let draining = state.draining.clone();
    let router = router_of(state).await;
    let server = listen(router).await;
    assert_eq!(
        exchange(&server.base, get("/health/ready", "")).await.0,
        200
    );
    draining.store(true, std::sync::atomic::Ordering::Relaxed);
    let (status, _, body) = exchange(&server.base, get("/health/ready", "")).await;
    assert_eq!((status, body.as_str()), (503, "draining"));
    // Whatever still reaches it is answered.
    assert_eq!(exchange(&server.base, get("/health/live", "")).await.0, 200);
    let (status, _, _) = exchange(&server.base, get("/.well-known/openid-configuration", "")).await;
    assert_eq!(status, 200);
    let _ = server.stop.send(());
}
