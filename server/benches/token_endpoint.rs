//! Token endpoint throughput under concurrent load, beside the raw RS256 signing rate of this
//! machine measured in the same run (the physical limit: one signature per token).
//!
//! `cargo bench -p server --bench token_endpoint` — the real router on a local TCP port with a
//! fresh SQLite database, driven by keep-alive HTTP/1.1 connections. Each request carries one
//! signature (client credentials; refresh and the impersonated code flow without `openid`, so no
//! ID token; a token exchange signs once and verifies twice), so the ratio of requests per second
//! to signatures per second is the endpoint's efficiency. Starting an impersonation from the
//! Console (its form target) is measured for latency.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: failing loudly is the point

#[path = "token_endpoint/impersonation.rs"]
mod impersonation;
#[path = "token_endpoint/load.rs"]
mod load;

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
use load::{load, report, Call};
use server::config::Config;
use server::state::AppState;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 16;
const DURATION: Duration = Duration::from_secs(10);
/// The impersonation runs draw on artifacts made beforehand (one subject token or code per
/// request), so they run shorter.
const SHORT_DURATION: Duration = Duration::from_secs(5);
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

        let cc = load(addr, CONNECTIONS, DURATION, |_| {
            let basic = basic.clone();
            move |_previous: Option<String>| {
                Some(Call::token(
                    "grant_type=client_credentials".to_owned(),
                    &basic,
                ))
            }
        })
        .await;
        report("client_credentials", &cc, signing);

        let refresh_tokens = initial_refresh_tokens(&engine, &confidential, CONNECTIONS).await;
        let rt = load(addr, CONNECTIONS, DURATION, |i| {
            let basic = basic.clone();
            let first = refresh_tokens[i].clone();
            move |previous: Option<String>| {
                let token = previous.unwrap_or_else(|| first.clone());
                Some(Call::token(
                    format!("grant_type=refresh_token&refresh_token={token}"),
                    &basic,
                ))
            }
        })
        .await;
        report("refresh_token", &rt, signing);

        impersonation::run(addr, &engine, signing).await;
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

pub(crate) async fn start_server() -> (
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
        // Every impersonation of the run lives through it.
        impersonation_limit_secs: 24 * 3600,
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
        impersonation_minutes: 60,
        audit_log: None,
        smtp_url: None,
        smtp_from: server::config::DEFAULT_SMTP_FROM.into(),
        trusted_proxies: Default::default(),
        metrics: Default::default(),
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
                organization: None,
                username: "admin",
                password: "bench-password-1",
                client_addr: "127.0.0.1",
                previous_token: None,
                answering: None,
                application: None,
                request: None,
            },
            now,
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
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
