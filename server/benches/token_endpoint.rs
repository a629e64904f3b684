//! Token endpoint throughput under concurrent load, beside the raw RS256 signing rate of this
//! machine measured in the same run (the physical limit: one signature per token).
//!
//! `cargo bench -p server --bench token_endpoint` — the real router on a local TCP port with a
//! fresh SQLite database, driven by keep-alive HTTP/1.1 connections. Each request carries one
//! signature (client credentials; refresh without `openid`, so no ID token), so the ratio of
//! requests per second to signatures per second is the endpoint's efficiency.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: failing loudly is the point

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::RSA_PKCS1_SHA256;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use engine::applications::{ClientType, GrantType, NewApplication};
use engine::bootstrap::BootstrapConfig;
use engine::oauth::authorize::{AuthorizeParams, AuthorizeStep, ConsentAnswer};
use engine::oauth::token::TokenParams;
use engine::secrets::Secret;
use engine::sessions::SignIn;
use engine::{Clock, Engine, Settings, SystemClock};
use leptos::prelude::LeptosOptions;
use server::config::Config;
use server::state::AppState;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 16;
const DURATION: Duration = Duration::from_secs(10);
const REDIRECT: &str = "https://bench.example/cb";

fn main() {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!(
        "cores: {threads}, connections: {CONNECTIONS}, {}s per run",
        DURATION.as_secs()
    );
    let signing = raw_signing_rate(threads, Duration::from_secs(5));
    println!("raw RS256 signing (aws-lc-rs, {threads} threads): {signing:.0} signatures/s");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (addr, engine, confidential, secret) = start_server().await;
        let basic = format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{}", confidential.client_id, secret))
        );

        let cc = load(addr, CONNECTIONS, |_| {
            let basic = basic.clone();
            move |_previous: Option<String>| {
                ("grant_type=client_credentials".to_owned(), basic.clone())
            }
        })
        .await;
        report("client_credentials", &cc, signing);

        let refresh_tokens = initial_refresh_tokens(&engine, &confidential, CONNECTIONS).await;
        let rt = load(addr, CONNECTIONS, |i| {
            let basic = basic.clone();
            let first = refresh_tokens[i].clone();
            move |previous: Option<String>| {
                let token = previous.unwrap_or_else(|| first.clone());
                (
                    format!("grant_type=refresh_token&refresh_token={token}"),
                    basic.clone(),
                )
            }
        })
        .await;
        report("refresh_token", &rt, signing);
    });
}

/// Signatures per second over `threads` threads signing a token-sized message.
fn raw_signing_rate(threads: usize, for_how_long: Duration) -> f64 {
    let key = Arc::new(KeyPair::generate(KeySize::Rsa2048).unwrap());
    let message = vec![b'x'; 700];
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let key = key.clone();
            let message = message.clone();
            std::thread::spawn(move || {
                let rng = SystemRandom::new();
                let mut sig = vec![0u8; key.public_modulus_len()];
                let start = Instant::now();
                let mut n = 0u64;
                while start.elapsed() < for_how_long {
                    key.sign(&RSA_PKCS1_SHA256, &rng, &message, &mut sig)
                        .unwrap();
                    n += 1;
                }
                n as f64 / start.elapsed().as_secs_f64()
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

async fn start_server() -> (
    std::net::SocketAddr,
    Engine,
    engine::applications::Application,
    String,
) {
    let dir = std::env::temp_dir().join(format!("guise-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let public_url = format!("http://{addr}");
    let settings = Settings {
        public_url: public_url.clone(),
        ..Settings::default()
    };
    let engine = Engine::open(&url, settings).await.unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    engine
        .bootstrap(
            BootstrapConfig {
                admin_username: "admin".into(),
                admin_password: Some(Secret::new("bench-password-1".into())),
            },
            clock.now(),
        )
        .await
        .unwrap();
    let org = engine.root_org().await.unwrap();
    let (app, secret) = engine
        .create_application(
            "bench",
            &org,
            NewApplication {
                name: "Bench".into(),
                description: String::new(),
                client_type: ClientType::Confidential,
                redirect_uris: vec![REDIRECT.into()],
                post_logout_redirect_uris: vec![],
                grant_types: vec![
                    GrantType::AuthorizationCode,
                    GrantType::RefreshToken,
                    GrantType::ClientCredentials,
                ],
                access_url: String::new(),
                authorized_scopes: Vec::new(),
            },
            clock.now(),
        )
        .await
        .unwrap();
    let config = Config {
        public_url,
        database_url: url,
        admin_username: "admin".into(),
        admin_password: None,
        session_hours: 12,
    };
    let options = LeptosOptions::builder().output_name("guise").build();
    let router = server::router::build(AppState::new(engine.clone(), clock, options, &config));
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (addr, engine, app, secret.unwrap().expose().to_owned())
}

/// One refresh token per connection, from the code flow run in process.
async fn initial_refresh_tokens(
    engine: &Engine,
    app: &engine::applications::Application,
    n: usize,
) -> Vec<String> {
    let now = SystemClock.now();
    let session = engine
        .sign_in(
            SignIn {
                username: "admin",
                password: "bench-password-1",
                client_addr: "127.0.0.1",
                previous_token: None,
                answering: None,
            },
            now,
        )
        .await
        .unwrap();
    let params = AuthorizeParams {
        response_type: Some("code".into()),
        client_id: Some(app.client_id.clone()),
        redirect_uri: Some(REDIRECT.into()),
        scope: Some("email".into()),
        code_challenge: Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into()),
        code_challenge_method: Some("S256".into()),
        ..AuthorizeParams::default()
    };
    let req = engine
        .validate_authorization_request(&params)
        .await
        .unwrap();
    let mut tokens = Vec::with_capacity(n);
    for _ in 0..n {
        let mut step = engine
            .authorize(&req, Some(&session.principal), ConsentAnswer::NotAsked, now)
            .await
            .unwrap();
        if matches!(step, AuthorizeStep::Consent { .. }) {
            step = engine
                .authorize(&req, Some(&session.principal), ConsentAnswer::Allow, now)
                .await
                .unwrap();
        }
        let AuthorizeStep::Redirect(location) = step else {
            panic!("no code")
        };
        let code = location
            .split("code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned();
        let response = engine
            .token(
                app,
                &TokenParams {
                    grant_type: Some("authorization_code".into()),
                    code: Some(code),
                    redirect_uri: Some(REDIRECT.into()),
                    code_verifier: Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into()),
                    ..TokenParams::default()
                },
                now,
            )
            .await
            .unwrap();
        tokens.push(response.refresh_token.unwrap());
    }
    tokens
}

struct Outcome {
    requests: u64,
    errors: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

/// Runs `connections` keep-alive connections for [`DURATION`]; `make(i)` builds connection i's
/// request maker, which gets the previous response's refresh token (if any).
async fn load<F, M>(addr: std::net::SocketAddr, connections: usize, make: F) -> Outcome
where
    F: Fn(usize) -> M,
    M: FnMut(Option<String>) -> (String, String) + Send + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|i| {
            let mut next = make(i);
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut previous = None;
                let mut buf = Vec::with_capacity(8192);
                while !stop.load(Ordering::Relaxed) {
                    let (body, auth) = next(previous.take());
                    let request = format!(
                        "POST /oauth2/token HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\n\
                         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let t = Instant::now();
                    stream.write_all(request.as_bytes()).await.unwrap();
                    let (status, response) = read_response(&mut stream, &mut buf).await;
                    latencies.push(t.elapsed());
                    if status == 200 {
                        previous = refresh_token_of(&response);
                    } else {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    tokio::time::sleep(DURATION).await;
    stop.store(true, Ordering::Relaxed);
    let mut outcome = Outcome {
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for t in tasks {
        let (latencies, errors) = t.await.unwrap();
        outcome.requests += latencies.len() as u64;
        outcome.errors += errors;
        outcome.latencies.extend(latencies);
    }
    outcome.elapsed = start.elapsed();
    outcome
}

/// Reads one HTTP/1.1 response with a `Content-Length` body; returns the status and the body.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> (u16, String) {
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let status: u16 = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.unwrap();
                assert!(n > 0, "connection closed");
                buf.extend_from_slice(&chunk[..n]);
            }
            return (
                status,
                String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).to_string(),
            );
        }
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn refresh_token_of(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v.get("refresh_token")?.as_str().map(str::to_owned)
}

fn report(name: &str, o: &Outcome, signing: f64) {
    let mut l = o.latencies.clone();
    l.sort();
    let pct = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let rate = o.requests as f64 / o.elapsed.as_secs_f64();
    println!(
        "{name}: {rate:.0} req/s ({:.0}% of raw signing), p50 {:.1} ms, p99 {:.1} ms, errors {}",
        100.0 * rate / signing,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        o.errors
    );
}
