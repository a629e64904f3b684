//! The outbox delivered over real SMTP (a server on a TCP port): the impersonation email arrives
//! with the contract's subject and its placeholders filled; with the server down the message
//! waits in the outbox, and after a restart of the worker it is sent once the server is back —
//! exactly once.

use super::smtp_sink::{free_port, Sink};
use super::*;
use engine::access::CONSOLE_APP;
use engine::notifications::{
    display_time, Deliverer, OutboxStatus, BACKOFF_FIRST_SECS, LEASE_SECS,
};
use engine::sessions::SignIn;
use engine::{PageRequest, Timestamp};
use server::mail::{self, Smtp};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

const FROM: &str = "Guise <no-reply@id.example.com>";

/// A clock the test moves.
struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

impl TestClock {
    fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

/// A sign-in session of the administrator.
pub(super) async fn sign_in_admin(engine: &Engine, now: Timestamp) -> engine::sessions::NewSession {
    engine
        .sign_in(
            SignIn {
                organization: None,
                username: "admin",
                password: "admin-password-1",
                client_addr: "192.0.2.1",
                previous_token: None,
                answering: None,
                application: None,
                request: None,
            },
            now,
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
        .unwrap()
}

/// The administrator impersonates a new user Olga at `now`; returns the administrator.
pub(super) async fn impersonate_olga(engine: &Engine, now: Timestamp) -> engine::ConsoleAdmin {
    let session = sign_in_admin(engine, now).await;
    engine
        .sign_into_portal(&session.principal, CONSOLE_APP, now)
        .await
        .unwrap();
    let admin = engine.console_admin(&session.principal).await.unwrap();
    let olga = engine
        .create_user(
            &admin,
            engine::users::NewUser {
                username: "olga".into(),
                email: "olga@example.com".into(),
                given_name: "Olga".into(),
                family_name: "Q".into(),
                password: "olga-password-1".into(),
            },
            now,
        )
        .await
        .unwrap()
        .id;
    engine
        .impersonate_from_console(
            &admin,
            &olga,
            &engine::impersonation::Justification::default(),
            now,
        )
        .await
        .unwrap();
    admin
}

async fn wait_for(sink: &Sink, n: usize) {
    for _ in 0..100 {
        if sink.messages().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{n} message(s) expected, got {:?}", sink.messages());
}

/// Waits until the outbox's newest entry is settled as sent: polled every 100 ms, for 10 s at most.
/// The worker records the outcome just after the mail server accepted the message, so a message
/// the sink already has may still be pending (and leased) for a moment.
async fn wait_until_sent(engine: &Engine, admin: &engine::ConsoleAdmin) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let newest = engine
            .email_outbox(admin, PageRequest::new(1, 10))
            .await
            .unwrap()
            .items
            .into_iter()
            .next();
        match newest {
            Some(entry) if entry.status == OutboxStatus::Sent => return,
            other if tokio::time::Instant::now() >= deadline => {
                panic!("the outbox entry was not settled as sent within 10 s: {other:?}")
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Olga impersonated at `started` (one email due), a mail server, and a node's worker delivering
/// to it.
async fn olga_impersonated_with_a_worker(
    started: Timestamp,
) -> (Engine, Sink, mail::DeliveryWorker) {
    let (_, engine) = app_with_engine().await;
    impersonate_olga(&engine, started).await;
    let sink = Sink::start(0).await;
    let worker = mail::spawn_delivery(
        engine.clone(),
        Smtp::from_url(&sink.url()).unwrap(),
        FROM.into(),
        Arc::new(SystemClock),
    );
    (engine, sink, worker)
}

#[tokio::test]
async fn the_background_worker_delivers_the_impersonation_email_over_smtp() {
    let started = SystemClock.now();
    let (_, sink, worker) = olga_impersonated_with_a_worker(started).await;
    wait_for(&sink, 1).await;
    worker.abort();
    let m = &sink.messages()[0];
    assert_eq!(m.rcpt, vec!["<olga@example.com>".to_owned()]);
    assert_eq!(
        m.header("Subject").as_deref(),
        Some("User Impersonation Session Started")
    );
    assert_eq!(m.header("To").as_deref(), Some("olga@example.com"));
    assert!(m
        .header("From")
        .unwrap()
        .contains("no-reply@id.example.com"));
    assert!(m
        .header("Message-ID")
        .unwrap()
        .ends_with("@id.example.com>"));
    let body = m.body();
    assert!(body.contains("Hi olga,"), "{body}");
    let login_time = display_time(started);
    assert!(
        body.contains(&format!("by admin on {login_time}")),
        "{login_time} in {body}"
    );
    assert!(!body.contains("{{"), "{body}");
}

#[tokio::test]
async fn with_the_server_down_the_outbox_holds_the_message_and_a_restarted_worker_sends_it_once() {
    let (_, engine, database_url) = app_with_engine_at().await;
    let clock = Arc::new(TestClock(AtomicI64::new(SystemClock.now().0)));
    let admin = impersonate_olga(&engine, clock.now()).await;
    let port = free_port().await;
    let url = format!("smtp://127.0.0.1:{port}");
    let node_a = Deliverer {
        node: "node-a".into(),
        from: FROM.into(),
    };

    // The mail server is down: the attempt fails, the message waits with a reason of ours.
    let smtp = Smtp::from_url(&url).unwrap();
    assert_eq!(
        mail::deliver_due(&engine, &node_a, &smtp, clock.as_ref()).await,
        1
    );
    let outbox = engine
        .email_outbox(&admin, PageRequest::new(1, 10))
        .await
        .unwrap()
        .items;
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].status, OutboxStatus::Pending);
    assert_eq!(outbox[0].attempts, 1);
    assert_eq!(
        outbox[0].last_error.as_deref(),
        Some("mail server unreachable")
    );
    // Not due again before the backoff.
    assert_eq!(
        mail::deliver_due(&engine, &node_a, &smtp, clock.as_ref()).await,
        0
    );

    // Node A stops ("restart"); a new node opens the same database. The server comes back.
    drop(smtp);
    drop(node_a);
    let restarted = Engine::open(&database_url, Settings::for_tests())
        .await
        .unwrap();
    let sink = Sink::start(port).await;
    clock.advance(BACKOFF_FIRST_SECS);
    let worker = mail::spawn_delivery(
        restarted.clone(),
        Smtp::from_url(&url).unwrap(),
        FROM.into(),
        clock.clone(),
    );
    wait_for(&sink, 1).await;
    // The worker is done with it: the outbox records it as sent (and its lease is released).
    wait_until_sent(&engine, &admin).await;
    // Another node running too, and more time passing, send nothing more.
    let node_b = Deliverer {
        node: "node-b".into(),
        from: FROM.into(),
    };
    clock.advance(LEASE_SECS * 10);
    let smtp = Smtp::from_url(&url).unwrap();
    assert_eq!(
        mail::deliver_due(&engine, &node_b, &smtp, clock.as_ref()).await,
        0
    );
    worker.abort();
    assert_eq!(sink.messages().len(), 1, "sent exactly once");
    let entry = &engine
        .email_outbox(&admin, PageRequest::new(1, 10))
        .await
        .unwrap()
        .items[0];
    assert_eq!(entry.status, OutboxStatus::Sent);
    assert_eq!(entry.attempts, 2);
    assert_eq!(
        sink.messages()[0].header("Message-ID").unwrap(),
        format!("<{}@id.example.com>", entry.id)
    );
}

#[tokio::test]
async fn a_node_that_dies_holding_a_claim_delays_the_message_by_its_lease_only() {
    let (_, engine) = app_with_engine().await;
    let clock = Arc::new(TestClock(AtomicI64::new(SystemClock.now().0)));
    impersonate_olga(&engine, clock.now()).await;
    let sink = Sink::start(0).await;
    // Claimed, then the node is gone before sending.
    assert!(engine
        .claim_outbox_message("dead-node", clock.now())
        .await
        .unwrap()
        .is_some());
    let node = Deliverer {
        node: "node-b".into(),
        from: FROM.into(),
    };
    let smtp = Smtp::from_url(&sink.url()).unwrap();
    assert_eq!(
        mail::deliver_due(&engine, &node, &smtp, clock.as_ref()).await,
        0
    );
    clock.advance(LEASE_SECS);
    assert_eq!(
        mail::deliver_due(&engine, &node, &smtp, clock.as_ref()).await,
        1
    );
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_worker_stopped_for_shutdown_finishes_its_message_and_leaves_no_claim() {
    let (engine, sink, worker) = olga_impersonated_with_a_worker(SystemClock.now()).await;
    // The mail server has the message; the worker is told to stop while it records that.
    wait_for(&sink, 1).await;
    assert!(worker.finish(Duration::from_secs(10)).await);
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT status, lease_owner FROM outbox")
            .fetch_all(engine.db().pool())
            .await
            .unwrap();
    assert_eq!(rows, vec![("sent".to_owned(), None)]);
}
