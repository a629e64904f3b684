//! The HTTP surface driven in process (`oneshot`): sign-in, redirects, cookies, the same-origin
//! rule for writes, and server functions' status codes — each with the bad inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate: failing loudly is the point

use axum::body::Body;
use axum::Router;
use engine::bootstrap::BootstrapConfig;
use engine::secrets::Secret;
use engine::{Clock, Engine, Settings, SystemClock};
use http::{header, Request, StatusCode};
use leptos::prelude::LeptosOptions;
use server::config::Config;
use server::state::AppState;
use std::sync::Arc;
use tower::ServiceExt;

const ORIGIN: &str = "http://127.0.0.1:3000";

#[path = "http/audit_requests.rs"]
mod audit_requests;
#[path = "http/client_addr.rs"]
mod client_addr;
#[path = "http/configs.rs"]
mod configs;
// The sample application's HTTP/1.1 client: the page-render test talks to a real listener with it.
#[path = "../examples/sample_app/http_client.rs"]
#[allow(dead_code)] // only part of it is needed here
mod http_client;
#[path = "http/impersonation.rs"]
mod impersonation;
#[path = "http/impersonation_pages.rs"]
mod impersonation_pages;
#[path = "http/impersonation_rules.rs"]
mod impersonation_rules;
#[path = "http/kill_switch.rs"]
mod kill_switch;
#[path = "http/logging.rs"]
mod logging;
#[path = "http/mail.rs"]
mod mail;
#[path = "http/metrics.rs"]
mod metrics;
#[path = "http/oauth.rs"]
mod oauth;
#[path = "http/organization_paths.rs"]
mod organization_paths;
#[path = "http/organization_switch.rs"]
mod organization_switch;
#[path = "http/organizations.rs"]
mod organizations;
#[path = "http/pages_render.rs"]
mod pages_render;
#[path = "http/protocol.rs"]
mod protocol;
#[path = "http/render_isolation.rs"]
mod render_isolation;
#[path = "http/request_events.rs"]
mod request_events;
#[path = "http/scim.rs"]
mod scim;
#[path = "http/scim_me.rs"]
mod scim_me;
#[path = "http/scim_safety.rs"]
mod scim_safety;
#[path = "http/second_step.rs"]
mod second_step;
#[path = "http/smtp_sink.rs"]
mod smtp_sink;
#[path = "http/transport.rs"]
mod transport;
#[path = "http/unavailable.rs"]
mod unavailable;

/// Leptos marks route-list generation with a process-wide flag, and a resource first polled while
/// it is set never loads (leptos#4773). Every router build (which generates the route list) holds
/// this for writing; a test that must not meet that window while rendering holds it for reading.
static ROUTE_LIST_GENERATION: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

async fn app() -> Router {
    app_with_engine().await.0
}

/// The router and its engine (to register applications directly).
async fn app_with_engine() -> (Router, Engine) {
    let (router, engine, _) = app_with_engine_at().await;
    (router, engine)
}

/// The router, its engine and the database URL (to open a second node on it).
async fn app_with_engine_at() -> (Router, Engine, String) {
    app_configured(|_| ()).await
}

/// As [`app_with_engine_at`], with the configuration changed by `configure` first.
async fn app_configured(configure: impl FnOnce(&mut Config)) -> (Router, Engine, String) {
    let (state, engine, url) = state_configured(configure).await;
    (router_of(state).await, engine, url)
}

/// The router `main` builds from `state`.
async fn router_of(state: AppState) -> Router {
    let _generating = ROUTE_LIST_GENERATION.write().await;
    server::router::build(state)
}

/// The state a router is built from (for a test that reaches into it), its engine on a fresh
/// bootstrapped database, and that database's URL; the configuration changed by `configure` first.
async fn state_configured(configure: impl FnOnce(&mut Config)) -> (AppState, Engine, String) {
    let dir = std::env::temp_dir().join("guise-server-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.join(format!("{}.db", uuid_like())).display()
    );
    let engine = Engine::open(&url, Settings::for_tests()).await.unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    engine
        .bootstrap(
            BootstrapConfig {
                admin_username: "admin".into(),
                admin_password: Some(Secret::new("admin-password-1".into())),
            },
            clock.now(),
        )
        .await
        .unwrap();
    let mut config = Config {
        public_url: ORIGIN.into(),
        database_url: url.clone(),
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
    configure(&mut config);
    let options = LeptosOptions::builder().output_name("guise").build();
    let state = AppState::new(engine.clone(), clock, options, &config);
    (state, engine, url)
}

/// A router served over TCP as `main` serves it, on a port of its own, until `stop` is sent (or
/// dropped).
struct Listening {
    base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn listen(router: Router) -> Listening {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server::serve::serve(
        listener,
        router,
        async move {
            let _ = stopped.await;
        },
        std::time::Duration::from_secs(2),
    ));
    Listening {
        base,
        stop,
        serving,
    }
}

fn uuid_like() -> String {
    format!(
        "{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

fn form_post(path: &str, site: Option<&str>) -> http::request::Builder {
    let mut b =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(site) = site {
        b = b.header("sec-fetch-site", site);
    }
    b
}

/// One request through the router. A request that has not been answered in 30 s fails the test
/// with its method and path, rather than stalling the suite. A GET may render a page: it is
/// answered, body and all, while no router is being built (see [`ROUTE_LIST_GENERATION`]).
async fn send(app: &Router, request: Request<Body>) -> http::Response<Body> {
    let what = format!("{} {}", request.method(), request.uri().path());
    let renders = request.method() == http::Method::GET;
    let answer = async {
        let _rendering = if renders {
            Some(ROUTE_LIST_GENERATION.read().await)
        } else {
            None
        };
        let response = app.clone().oneshot(request).await.unwrap();
        if !renders {
            return response;
        }
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, 16 << 20).await.unwrap();
        http::Response::from_parts(parts, Body::from(bytes))
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), answer)
        .await
        .unwrap_or_else(|_| panic!("{what} was not answered within 30 s"))
}

fn location(r: &http::Response<Body>) -> &str {
    r.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn set_cookie(r: &http::Response<Body>) -> Option<String> {
    r.headers()
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_owned())
}

async fn login(app: &Router, body: &str, site: Option<&str>) -> http::Response<Body> {
    send(
        app,
        form_post("/auth/login", site)
            .body(Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

/// Signs in as the administrator; returns the `Cookie` header value.
async fn admin_cookie(app: &Router) -> String {
    let r = login(
        app,
        "username=admin&password=admin-password-1",
        Some("same-origin"),
    )
    .await;
    let cookie = set_cookie(&r).expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn portal_pages_send_visitors_to_sign_in_and_back() {
    let app = app().await;
    let r = send(
        &app,
        Request::get("/console/users?x=1")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login?return_to=%2Fconsole%2Fusers%3Fx%3D1");
    let r = send(
        &app,
        Request::get("/myaccount")
            .header(header::COOKIE, "guise_session=forged")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(location(&r), "/login?return_to=%2Fmyaccount");
}

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_and_returns_only_to_our_own_pages() {
    let app = app().await;
    let r = login(
        &app,
        "username=admin&password=admin-password-1&return_to=%2Fconsole%2Fusers",
        Some("same-origin"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/console/users");
    let cookie = set_cookie(&r).unwrap();
    for part in ["guise_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert!(!cookie.contains("Secure"), "no Secure on plain http");

    for evil in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let r = login(
            &app,
            &format!("username=admin&password=admin-password-1&return_to={evil}"),
            Some("same-origin"),
        )
        .await;
        assert_eq!(location(&r), "/myaccount", "return_to={evil}");
    }
}

#[tokio::test]
async fn wrong_passwords_come_back_to_the_login_page_without_a_cookie() {
    let app = app().await;
    let r = login(&app, "username=admin&password=nope", Some("same-origin")).await;
    assert_eq!(
        location(&r),
        "/login?error=invalid_credentials&username=admin"
    );
    assert!(set_cookie(&r).is_none());
}

#[tokio::test]
async fn cross_site_sign_in_attempts_are_refused() {
    let app = app().await;
    for site in [Some("cross-site"), Some("same-site"), None] {
        let r = login(&app, "username=admin&password=admin-password-1", site).await;
        assert_eq!(location(&r), "/login?error=forbidden_origin", "{site:?}");
        assert!(set_cookie(&r).is_none());
    }
    // A browser that sends Origin but no fetch metadata: ours is accepted, another is not.
    let body = "username=admin&password=admin-password-1";
    let ours = form_post("/auth/login", None)
        .header(header::ORIGIN, ORIGIN)
        .body(Body::from(body))
        .unwrap();
    assert!(set_cookie(&send(&app, ours).await).is_some());
    let theirs = form_post("/auth/login", None)
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(body))
        .unwrap();
    assert!(set_cookie(&send(&app, theirs).await).is_none());
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = app().await;
    let cookie = admin_cookie(&app).await;
    let page = send(
        &app,
        Request::get("/console")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("'nonce-") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );

    let out = send(
        &app,
        form_post("/auth/logout", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(location(&out), "/login");
    assert!(set_cookie(&out).unwrap().contains("Max-Age=0"));
    let after = send(
        &app,
        Request::get("/console")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn server_functions_answer_with_the_right_status() {
    let app = app().await;
    let cookie = admin_cookie(&app).await;
    let call = |body: &'static str, site: &'static str, cookie: Option<&str>| {
        let mut b = form_post("/api/list_users", Some(site));
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::from(body)).unwrap()
    };
    assert_eq!(
        send(&app, call("search=&page=1", "cross-site", Some(&cookie)))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, call("search=&page=1", "same-origin", None))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Signed in, but not yet into the Console: its server functions have no grant to act with.
    assert_eq!(
        send(&app, call("search=&page=1", "same-origin", Some(&cookie)))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Opening a Console page signs the session into the Console (authorization code + PKCE, in process).
    let page = send(
        &app,
        Request::get("/console/users")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let ok = send(
        &app,
        call("search=adm&page=1", "same-origin", Some(&cookie)),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let body = axum::body::to_bytes(ok.into_body(), 1 << 20).await.unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("\"username\":\"admin\""), "{text}");

    let create = "username=bad%20name&email=nope&given_name=&family_name=&password=x";
    let r = send(
        &app,
        form_post("/api/create_user", Some("same-origin"))
            .header(header::COOKIE, &cookie)
            .body(Body::from(create))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains("username") && text.contains("email") && text.contains("password"),
        "{text}"
    );
}
