//! `/metrics`: off by default, then only with its own token; what it shows, under route templates.

use super::oauth::register;
use super::*;
use engine::applications::GrantType;
use server::metrics_endpoint::MetricsAccess;

const TOKEN: &str = "metrics-token-0123456789";

fn scrape(bearer: Option<&str>) -> Request<Body> {
    let mut request = Request::get("/metrics");
    if let Some(token) = bearer {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::empty()).unwrap()
}

/// Whether a sample of `name` carries every one of `labels` (`key="value"`).
fn has_sample(text: &str, name: &str, labels: &[&str]) -> bool {
    text.lines().any(|line| {
        line.strip_prefix(name).is_some_and(|rest| {
            rest.starts_with(['{', ' ']) && labels.iter().all(|l| rest.contains(l))
        })
    })
}

#[tokio::test]
async fn metrics_are_off_unless_configured() {
    let app = app().await;
    assert_eq!(
        send(&app, scrape(Some(TOKEN))).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn metrics_need_their_token_and_show_requests_tokens_and_the_databases_figures() {
    let (app, engine, _) = app_configured(|c| {
        c.metrics = MetricsAccess::from_settings(Some(TOKEN.into()), None).unwrap();
    })
    .await;
    let client = register(&engine, &[GrantType::ClientCredentials]).await;
    let issued = send(
        &app,
        form_post("/oauth2/token", None)
            .header(header::AUTHORIZATION, client.basic())
            .body(Body::from("grant_type=client_credentials"))
            .unwrap(),
    )
    .await;
    assert_eq!(issued.status(), StatusCode::OK);

    for refused in [None, Some("metrics-token-012345678"), Some("wrong")] {
        let r = send(&app, scrape(refused)).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{refused:?}");
    }
    let r = send(&app, scrape(Some(TOKEN))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = String::from_utf8(
        axum::body::to_bytes(r.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    let org = engine.root_org().await.unwrap();
    let org_label = format!("organization=\"{org}\"");
    for (name, labels) in [
        (
            "guise_tokens_issued_total",
            vec!["grant_type=\"client_credentials\"", org_label.as_str()],
        ),
        (
            "guise_http_requests_total",
            vec![
                "route=\"/oauth2/token\"",
                "method=\"POST\"",
                "status=\"200\"",
            ],
        ),
        (
            "guise_http_request_duration_seconds_bucket",
            vec!["route=\"/oauth2/token\"", "le=\"0.005\""],
        ),
        ("guise_active_sessions", vec![]),
        ("guise_active_impersonations", vec![]),
        ("guise_outbox_pending", vec![]),
        ("guise_audit_sequence_head", vec![]),
        ("guise_db_connections", vec!["state=\"open\""]),
        ("guise_database_up", vec![]),
    ] {
        assert!(
            has_sample(&text, name, &labels),
            "no {name} {labels:?} in:\n{text}"
        );
    }
    // Route templates, never the values in a path.
    assert!(!text.contains(&client.id), "a client id became a label");

    // The Grafana dashboard in the repository graphs only what is exported: every series it queries
    // is in this scrape, or is a counter that appears with its first event.
    let dashboard: serde_json::Value =
        serde_json::from_str(include_str!("../../grafana/guise-dashboard.json")).unwrap();
    let counted_once_it_happens = [
        "guise_sign_ins_total",
        "guise_outbox_delivery_failures_total",
    ];
    let queries = dashboard["panels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["targets"].as_array().unwrap())
        .map(|t| t["expr"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert!(queries.len() >= 9);
    let series = regex::Regex::new(r"guise_[a-z_]+").unwrap();
    for query in &queries {
        for name in series.find_iter(query).map(|m| m.as_str()) {
            assert!(
                has_sample(&text, name, &[]) || counted_once_it_happens.contains(&name),
                "the dashboard queries {name}, which /metrics does not export"
            );
        }
    }
}
