//! Delivering the outbox: a message is sent once and marked sent; a failure waits (backoff,
//! doubling, capped) and a refusal for good stops; leases keep two nodes from sending the same
//! message, and an expired claim cannot overwrite a newer one.

use crate::harness::*;
use crate::notifications::outbox;
use engine::notifications::{
    Attempt, Deliverer, MailTransport, OutboxStatus, OutgoingMail, SendFailure, LEASE_SECS,
};
use engine::{Engine, Settings, Timestamp};
use std::collections::HashSet;
use std::sync::Mutex;

/// A transport that records what it sends, or fails as told.
#[derive(Default)]
pub struct Recorder {
    pub sent: Mutex<Vec<OutgoingMail>>,
    pub failing: Mutex<Option<SendFailure>>,
}

impl MailTransport for Recorder {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendFailure> {
        if let Some(f) = *self.failing.lock().unwrap() {
            return Err(f);
        }
        self.sent.lock().unwrap().push(mail.clone());
        Ok(())
    }
}

fn deliverer(node: &str) -> Deliverer {
    Deliverer {
        node: node.into(),
        from: "Guise <no-reply@id.example.com>".into(),
    }
}

/// `n` messages due at T0, written as the engine writes them.
async fn messages(engine: &Engine, n: usize) {
    let org = engine.root_org().await.unwrap();
    for i in 0..n {
        sqlx::query(
            "INSERT INTO outbox (id, org_id, kind, locale, recipient, subject, body, impersonation_id, \
             created_at, status, attempts, next_attempt_at) \
             VALUES ($1, $2, 'ImpersonationEmailNotification', 'en_US', $3, 'Subject', 'Body', NULL, \
             $4, 'pending', 0, $4)",
        )
        .bind(format!("m{i:03}"))
        .bind(org.as_str())
        .bind(format!("user{i}@example.com"))
        .bind(T0.0 + i as i64)
        .execute(engine.db().pool())
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn an_impersonation_email_is_sent_once_with_a_stable_message_id() {
    let s = crate::impersonation_fixture::setup().await;
    s.impersonate_olga().await;
    let transport = Recorder::default();
    let d = deliverer("node-a");
    let first = s.engine.deliver_next(&d, &transport, T0).await.unwrap();
    assert!(matches!(first, Some(Attempt::Sent { .. })), "{first:?}");
    assert_eq!(
        s.engine.deliver_next(&d, &transport, T0).await.unwrap(),
        None
    );
    let sent = transport.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "olga@example.com");
    assert_eq!(sent[0].subject, "User Impersonation Session Started");
    assert_eq!(sent[0].from, "Guise <no-reply@id.example.com>");
    let entry = &outbox(&s).await[0];
    assert_eq!(sent[0].message_id, format!("<{}@id.example.com>", entry.id));
    assert_eq!(entry.status, OutboxStatus::Sent);
    assert_eq!(entry.sent_at, Some(T0));
    assert_eq!(entry.attempts, 1);
}

#[tokio::test]
async fn failures_back_off_doubling_up_to_the_cap_then_deliver() {
    let engine = engine().await;
    messages(&engine, 1).await;
    let transport = Recorder::default();
    *transport.failing.lock().unwrap() = Some(SendFailure::Unreachable);
    let d = deliverer("node-a");
    let mut now = T0;
    for (attempt, wait) in [(1, 10), (2, 20), (3, 40)] {
        let a = engine.deliver_next(&d, &transport, now).await.unwrap();
        assert_eq!(
            a,
            Some(Attempt::Deferred {
                id: "m000".into(),
                failure: SendFailure::Unreachable,
                next_attempt_at: Timestamp(now.0 + wait),
            }),
            "attempt {attempt}"
        );
        // Not due before the wait is over.
        let early = Timestamp(now.0 + wait - 1);
        assert_eq!(
            engine.deliver_next(&d, &transport, early).await.unwrap(),
            None
        );
        now = Timestamp(now.0 + wait);
    }
    let (error, attempts): (Option<String>, i64) =
        sqlx::query_as("SELECT last_error, attempts FROM outbox WHERE id = 'm000'")
            .fetch_one(engine.db().pool())
            .await
            .unwrap();
    assert_eq!(error.as_deref(), Some("mail server unreachable"));
    assert_eq!(attempts, 3);

    *transport.failing.lock().unwrap() = None;
    let a = engine.deliver_next(&d, &transport, now).await.unwrap();
    assert_eq!(a, Some(Attempt::Sent { id: "m000".into() }));
    assert_eq!(transport.sent.lock().unwrap().len(), 1);
    assert_eq!(engine::notifications::backoff_secs(100), 3600, "capped");
}

#[tokio::test]
async fn a_refusal_for_good_is_not_tried_again() {
    let engine = engine().await;
    messages(&engine, 1).await;
    let transport = Recorder::default();
    *transport.failing.lock().unwrap() = Some(SendFailure::Rejected);
    let d = deliverer("node-a");
    let a = engine.deliver_next(&d, &transport, T0).await.unwrap();
    assert!(matches!(a, Some(Attempt::Failed { .. })), "{a:?}");
    *transport.failing.lock().unwrap() = None;
    let later = Timestamp(T0.0 + 100_000);
    assert_eq!(
        engine.deliver_next(&d, &transport, later).await.unwrap(),
        None
    );
    let status: String = sqlx::query_scalar("SELECT status FROM outbox WHERE id = 'm000'")
        .fetch_one(engine.db().pool())
        .await
        .unwrap();
    assert_eq!(status, "failed");
}

#[tokio::test]
async fn a_claimed_message_is_nobody_elses_until_its_lease_runs_out() {
    let (engine, url) = engine_at().await;
    let other = Engine::open(&url, Settings::for_tests()).await.unwrap();
    messages(&engine, 1).await;
    let a = engine
        .claim_outbox_message("node-a", T0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        other
            .claim_outbox_message("node-b", T0)
            .await
            .unwrap()
            .map(|c| c.id),
        None
    );
    let expired = Timestamp(T0.0 + LEASE_SECS);
    let b = other
        .claim_outbox_message("node-b", expired)
        .await
        .unwrap()
        .expect("claimable once the lease ran out");
    assert_eq!(b.id, a.id);
    assert_eq!(b.attempts, 2);
    // Node A comes back late: its outcome is not recorded over node B's claim.
    assert!(!engine
        .settle_outbox_message(&a, Ok(()), expired)
        .await
        .unwrap());
    assert!(other
        .settle_outbox_message(&b, Ok(()), expired)
        .await
        .unwrap());
    let later = Timestamp(T0.0 + 10 * LEASE_SECS);
    assert!(engine
        .claim_outbox_message("node-a", later)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn two_nodes_claiming_at_once_never_claim_the_same_message() {
    let (engine, url) = engine_at().await;
    let other = Engine::open(&url, Settings::for_tests()).await.unwrap();
    messages(&engine, 30).await;
    let drain = |e: Engine, node: &'static str| {
        tokio::spawn(async move {
            let mut ids = Vec::new();
            // A claim can lose a race and find nothing while others are still due: try until
            // several claims in a row find nothing.
            let mut empty = 0;
            while empty < 5 {
                match e
                    .claim_outbox_message(node, T0.plus_secs(100))
                    .await
                    .unwrap()
                {
                    Some(c) => {
                        empty = 0;
                        ids.push(c.id);
                    }
                    None => empty += 1,
                }
            }
            ids
        })
    };
    let (a, b) = tokio::join!(drain(engine.clone(), "node-a"), drain(other, "node-b"));
    let (a, b) = (a.unwrap(), b.unwrap());
    let all: HashSet<_> = a.iter().chain(b.iter()).cloned().collect();
    assert_eq!(a.len() + b.len(), 30, "a: {a:?} b: {b:?}");
    assert_eq!(all.len(), 30, "no message claimed twice");
}

/// A transport whose send succeeds while someone else holds the database's write lock, for longer
/// than a writer waits for it (SQLite's busy timeout is 5 s): recording the send fails at first.
struct SentWhileTheDatabaseIsLocked {
    url: String,
    sent: Mutex<usize>,
}

impl MailTransport for SentWhileTheDatabaseIsLocked {
    async fn send(&self, _: &OutgoingMail) -> Result<(), SendFailure> {
        use sqlx::{Connection, Executor};
        let mut locker = sqlx::AnyConnection::connect(&self.url).await.unwrap();
        if self.url.starts_with("sqlite") {
            locker.execute("BEGIN IMMEDIATE").await.unwrap();
        } else {
            locker.execute("BEGIN").await.unwrap();
            locker
                .execute("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE")
                .await
                .unwrap();
        }
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(6)).await;
            locker.execute("ROLLBACK").await.unwrap();
        });
        *self.sent.lock().unwrap() += 1;
        Ok(())
    }
}

#[tokio::test]
async fn a_send_the_database_cannot_record_at_once_is_recorded_later_not_sent_again() {
    let (engine, url) = engine_at().await;
    messages(&engine, 1).await;
    let transport = SentWhileTheDatabaseIsLocked {
        url: url.clone(),
        sent: Mutex::new(0),
    };
    let attempt = engine
        .deliver_next(&deliverer("node-a"), &transport, T0)
        .await
        .unwrap();
    assert!(matches!(attempt, Some(Attempt::Sent { .. })), "{attempt:?}");
    // Recorded as sent: once the lease has run out, nobody sends it again.
    let other = Engine::open(&url, Settings::for_tests()).await.unwrap();
    let expired = Timestamp(T0.0 + LEASE_SECS + 1);
    assert!(other
        .claim_outbox_message("node-b", expired)
        .await
        .unwrap()
        .is_none());
    assert_eq!(*transport.sent.lock().unwrap(), 1);
}
