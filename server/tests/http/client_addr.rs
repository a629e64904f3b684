//! Throttling by client address behind a load balancer: the forwarding headers name the client only
//! when the balancer is a trusted proxy, so one client's failures neither throttle everyone else
//! nor can be escaped by writing the header oneself.

use super::*;
use axum::extract::connect_info::MockConnectInfo;
use server::client_addr::TrustedProxies;
use std::net::SocketAddr;

/// Every request arrives from the load balancer's address.
const BALANCER: &str = "10.0.0.5:41000";

async fn behind_balancer(trusted: &str) -> (Router, Engine) {
    let trusted = TrustedProxies::parse(trusted).unwrap();
    let (router, engine, _) = app_configured(|c| c.trusted_proxies = trusted).await;
    let peer: SocketAddr = BALANCER.parse().unwrap();
    (router.layer(MockConnectInfo(peer)), engine)
}

/// The addresses failed sign-ins were counted against.
async fn counted_addresses(engine: &Engine) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT throttle_key FROM login_throttle WHERE throttle_key LIKE 'addr:%' ORDER BY 1",
    )
    .fetch_all(engine.db().pool())
    .await
    .unwrap()
}

/// One password sign-in on behalf of `client`; the error code it ends with, if any.
async fn sign_in_for(app: &Router, client: &str, username: &str, password: &str) -> Option<String> {
    let r = send(
        app,
        form_post("/auth/login", Some("same-origin"))
            .header("x-forwarded-for", client)
            .body(Body::from(format!(
                "username={username}&password={password}"
            )))
            .unwrap(),
    )
    .await;
    let to = location(&r);
    form_urlencoded::parse(to.split_once('?').map_or("", |(_, q)| q).as_bytes())
        .find(|(name, _)| name == "error")
        .map(|(_, code)| code.into_owned())
}

/// Fails sign-ins (each for another unknown account, so only the address counts) until the address
/// is throttled; returns how many it took.
async fn fail_until_throttled(app: &Router, client: &str) -> usize {
    for attempt in 1..=30 {
        let code = sign_in_for(app, client, &format!("nobody{attempt}"), "wrong").await;
        if code.as_deref() == Some("throttled") {
            return attempt;
        }
        assert!(code.is_some(), "attempt {attempt} was let in");
    }
    panic!("30 failed sign-ins from {client} were never throttled");
}

#[tokio::test]
async fn behind_a_trusted_balancer_one_clients_failures_do_not_throttle_another() {
    let (app, engine) = behind_balancer("10.0.0.0/24").await;
    assert!(fail_until_throttled(&app, "203.0.113.7").await > 20);
    // Another client behind the same balancer signs in at once.
    assert_eq!(
        sign_in_for(&app, "203.0.113.8", "admin", "admin-password-1").await,
        None
    );
    // What a client writes left of the balancer's own entry is not believed.
    sign_in_for(&app, "198.51.100.1, 203.0.113.9", "nobody", "wrong").await;
    assert_eq!(
        counted_addresses(&engine).await,
        ["addr:203.0.113.7", "addr:203.0.113.9"]
    );
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarded_address_changes_nothing() {
    let (app, engine) = behind_balancer("").await;
    assert!(fail_until_throttled(&app, "203.0.113.7").await > 20);
    assert_eq!(counted_addresses(&engine).await, ["addr:10.0.0.5"]);
    // Everyone is the peer: writing another address does not escape the block.
    assert_eq!(
        sign_in_for(&app, "203.0.113.8", "nobody", "wrong").await,
        Some("throttled".into())
    );
}
