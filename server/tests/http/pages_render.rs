//! Every Console and My Account page, rendered by a real server over plain HTTP with a signed-in
//! administrator's cookie, one by one and then 20 at a time: each answers in full within 2 s, and
//! afterwards `/healthz` and the token endpoint still answer. (A page whose render deadlocked once
//! took every worker, and the whole server, with it.)
//!
//! The pages are found as a person would find them: from every route without parameters, following
//! the links each page renders, plus each tab of each application. Every route of the app must be
//! reached that way, so a new page cannot slip past.

use super::http_client::{self, Request as HttpRequest};
use super::mail::{impersonate_olga, sign_in_admin};
use super::oauth::register;
use super::*;
use engine::applications::GrantType;
use engine::organizations::NewOrganization;
use std::collections::{BTreeSet, VecDeque};
use std::time::{Duration, Instant};

const PAGE_LIMIT: Duration = Duration::from_secs(2);
const PARALLEL: usize = 20;

/// Something on every page that has one: a user, an outbox message (from an impersonation of
/// her, in a session of its own), a child organization.
async fn populate(engine: &Engine) {
    let now = SystemClock.now();
    let admin = impersonate_olga(engine, now).await;
    engine
        .create_organization(
            &admin,
            NewOrganization {
                parent: None,
                name: "Sales".into(),
                handle: "sales".into(),
            },
            now,
        )
        .await
        .unwrap();
}

struct Page {
    status: u16,
    body: String,
    took: Duration,
}

async fn fetch(base: &str, path: &str, cookie: &str) -> Page {
    let url = format!("{base}{path}");
    let started = Instant::now();
    let answer = http_client::send(HttpRequest::get(&url).header("Cookie", cookie))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    Page {
        status: answer.status,
        body: String::from_utf8_lossy(&answer.body).into_owned(),
        took: started.elapsed(),
    }
}

/// The portal links a page renders (downloads aside).
fn links(body: &str) -> Vec<String> {
    let href = regex::Regex::new(r##"href="(/(?:console|myaccount)[^"#]*)""##).unwrap();
    href.captures_iter(body)
        .map(|c| c[1].replace("&amp;", "&"))
        .filter(|l| !l.starts_with("/console/logs/export"))
        .collect()
}

/// A route's path as a pattern (`/console/users/{id}` → `^/console/users/[^/?]+(\?.*)?$`).
fn route_pattern(path: &str) -> regex::Regex {
    let segments: Vec<String> = path
        .split('/')
        .map(|s| {
            if s.starts_with(':') || s.starts_with('{') || s.starts_with('*') {
                "[^/?]+".to_owned()
            } else {
                regex::escape(s)
            }
        })
        .collect();
    let joined = segments.join("/");
    let joined = if joined.is_empty() {
        "/".into()
    } else {
        joined
    };
    regex::Regex::new(&format!(r"^{joined}/?(\?.*)?$")).unwrap()
}

fn is_parameterized(path: &str) -> bool {
    path.contains(':') || path.contains('{') || path.contains('*')
}

/// Every Console and My Account page the administrator can reach, each fetched once (within
/// [`PAGE_LIMIT`]); panics naming any route no page stood for.
async fn crawl(base: &str, cookie: &str) -> Vec<String> {
    let generated = {
        let _generating = ROUTE_LIST_GENERATION.write().await;
        leptos_axum::generate_route_list(app::App)
    };
    let _rendering = ROUTE_LIST_GENERATION.read().await;
    let routes: Vec<String> = generated
        .into_iter()
        .map(|r| r.path().to_owned())
        .filter(|p| p.starts_with("/console") || p.starts_with("/myaccount"))
        .collect();
    let mut queue: VecDeque<String> = routes
        .iter()
        .filter(|p| !is_parameterized(p))
        .cloned()
        .collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let application = regex::Regex::new(r"^/console/applications/[^/?]+$").unwrap();
    let tab = regex::Regex::new(r#"role="tab" id="tab-([a-z-]+)""#).unwrap();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        let page = fetch(base, &path, cookie).await;
        assert!(
            page.status == 200 || (300..400).contains(&page.status),
            "{path} answered {}: {}",
            page.status,
            page.body
        );
        assert!(
            page.took < PAGE_LIMIT,
            "{path} took {:?} (at most {PAGE_LIMIT:?})",
            page.took
        );
        let mut found = links(&page.body);
        if application.is_match(&path) {
            // Each tab the page shows, opened by its URL.
            found.extend(
                tab.captures_iter(&page.body)
                    .map(|c| format!("{path}?tab={}", &c[1])),
            );
        }
        for link in found {
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
        pages.push(path);
    }
    for route in &routes {
        let pattern = route_pattern(route);
        assert!(
            pages.iter().any(|p| pattern.is_match(p)),
            "no page of route {route} was reached; fetched: {pages:#?}"
        );
    }
    pages
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_renders_on_the_server_alone_and_twenty_at_a_time() {
    let (router, engine) = app_with_engine().await;
    let server = listen(router).await;
    populate(&engine).await;
    let client = register(&engine, &[GrantType::ClientCredentials]).await;
    let session = sign_in_admin(&engine, SystemClock.now()).await;
    let cookie = format!("guise_session={}", session.token.expose());

    let pages = crawl(&server.base, &cookie).await;
    let _rendering = ROUTE_LIST_GENERATION.read().await;
    assert!(
        pages.len() > 30,
        "only {} pages found: {pages:#?}",
        pages.len()
    );

    // The same pages again, 20 requests in flight at any moment.
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let total = pages.len().max(PARALLEL * 2);
    let pages = Arc::new(pages);
    let workers: Vec<_> = (0..PARALLEL)
        .map(|_| {
            let (next, pages) = (next.clone(), pages.clone());
            let (base, cookie) = (server.base.clone(), cookie.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if i >= total {
                        return;
                    }
                    let path = &pages[i % pages.len()];
                    let page = fetch(&base, path, &cookie).await;
                    assert!(page.status < 400, "{path} answered {}", page.status);
                    assert!(
                        page.took < PAGE_LIMIT,
                        "{path} took {:?} with {PARALLEL} in parallel",
                        page.took
                    );
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }

    let health = fetch(&server.base, "/healthz", "").await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
    let token = http_client::send(
        HttpRequest::with_body(
            "POST",
            &format!("{}/oauth2/token", server.base),
            "application/x-www-form-urlencoded",
            b"grant_type=client_credentials".to_vec(),
        )
        .header("Authorization", client.basic()),
    )
    .await
    .unwrap();
    assert_eq!(token.status, 200);
    assert!(token.json().unwrap()["access_token"].is_string());

    let _ = server.stop.send(());
    tokio::time::timeout(Duration::from_secs(5), server.serving)
        .await
        .expect("the server stops within its grace")
        .unwrap()
        .unwrap();
}
