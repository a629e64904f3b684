//! The audit trail: one gapless order, a hash chain that names the first event edited, deleted,
//! reordered or inserted by hand, atomic with the change it records, projected to the log file
//! exactly once, and the impersonation sessions' events. The Logs page over it: `audit_logs.rs`.

use crate::harness::*;
use crate::impersonation_fixture::{setup, Setup};
use engine::audit::query::LogFilter;
use engine::audit::verify::Break;
use engine::db::Backend;
use engine::users::ProfileChanges;
use engine::{Engine, Settings, Timestamp};

pub(crate) async fn exec(engine: &Engine, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(engine.db().pool())
        .await
        .unwrap();
}

/// An engine with a few users created: a trail of several events.
pub(crate) async fn trail() -> (Engine, engine::ConsoleAdmin) {
    let engine = engine().await;
    let admin = admin(&engine).await;
    for name in ["ann", "ben", "cyd", "dee"] {
        engine
            .create_user(&admin, new_user(name), T0)
            .await
            .unwrap();
    }
    (engine, admin)
}

async fn last_seq(engine: &Engine) -> i64 {
    count(engine, "SELECT MAX(seq) FROM audit_events").await
}

#[tokio::test]
async fn the_sequence_has_no_gaps_and_the_chain_verifies() {
    let (engine, admin) = trail().await;
    let total = count(&engine, "SELECT COUNT(*) FROM audit_events").await;
    assert!(total >= 5, "{total}");
    assert_eq!(last_seq(&engine).await, total);
    let report = engine.verify_audit_trail(&admin).await.unwrap();
    assert!(report.is_intact(), "{}", report.summary());
    assert_eq!(report.verified, total);
}

#[tokio::test]
async fn editing_a_row_by_hand_is_named() {
    let (engine, admin) = trail().await;
    exec(
        &engine,
        "UPDATE audit_events SET target = 'someone-else' WHERE seq = 3",
    )
    .await;
    let report = engine.verify_audit_trail(&admin).await.unwrap();
    assert_eq!(
        report.first_break,
        Some((3, Break::Altered)),
        "{}",
        report.summary()
    );
    assert_eq!(report.verified, 2);
}

#[tokio::test]
async fn deleting_a_row_by_hand_is_named() {
    let (engine, admin) = trail().await;
    exec(&engine, "DELETE FROM audit_events WHERE seq = 2").await;
    let report = engine.verify_audit_trail(&admin).await.unwrap();
    assert_eq!(report.first_break, Some((2, Break::Missing)));
    // The newest event deleted: the head still counts it.
    let (engine, admin) = trail().await;
    let last = last_seq(&engine).await;
    exec(
        &engine,
        &format!("DELETE FROM audit_events WHERE seq = {last}"),
    )
    .await;
    let report = engine.verify_audit_trail(&admin).await.unwrap();
    assert_eq!(report.first_break, Some((last, Break::Missing)));
}

#[tokio::test]
async fn reordering_rows_by_hand_is_named() {
    let (engine, admin) = trail().await;
    for sql in [
        "UPDATE audit_events SET seq = -1 WHERE seq = 2",
        "UPDATE audit_events SET seq = 2 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = -1",
    ] {
        exec(&engine, sql).await;
    }
    let report = engine.verify_audit_trail(&admin).await.unwrap();
    assert_eq!(
        report.first_break,
        Some((2, Break::Altered)),
        "{}",
        report.summary()
    );
}

#[tokio::test]
async fn a_rewritten_row_with_a_recomputed_hash_is_still_found() {
    // Whoever edits a row and recomputes its hash breaks the next event's link (or, for the last
    // one, the head's).
    let (engine, admin) = trail().await;
    let content = engine
        .audit_log_page(&admin, &LogFilter::default(), None, 200)
        .await
        .unwrap();
    let third = content.events.iter().find(|e| e.seq == 3).unwrap();
    let prev: String = sqlx::query_scalar("SELECT prev_hash FROM audit_events WHERE seq = 3")
        .fetch_one(engine.db().pool())
        .await
        .unwrap();
    let mut forged = third.content.clone();
    forged.target = "forged".into();
    let hash = engine::audit::chain::link(&prev, 3, &forged);
    sqlx::query("UPDATE audit_events SET target = 'forged', hash = $1 WHERE seq = 3")
        .bind(&hash)
        .execute(engine.db().pool())
        .await
        .unwrap();
    let report = engine.verify_audit_trail(&admin).await.unwrap();
    assert_eq!(
        report.first_break,
        Some((3, Break::Altered)),
        "{}",
        report.summary()
    );
}

#[tokio::test]
async fn a_row_inserted_by_hand_is_named() {
    let (engine, admin) = trail().await;
    exec(
        &engine,
        "INSERT INTO audit_events (id, occurred_at, initiator, action, target, data, outcome) \
         VALUES ('forged', 1, 'x', 'Add-User', 'y', '{}', 'Success')",
    )
    .await;
    let report = engine.verify_audit_trail(&admin).await.unwrap();
    assert_eq!(report.first_break.map(|b| b.1), Some(Break::Inserted));
}

#[tokio::test]
async fn events_from_before_the_chain_are_chained_at_the_next_start() {
    let (engine, url) = engine_at().await;
    // As a Guise before the chain left them: no number, no hash.
    exec(
        &engine,
        "UPDATE audit_events SET seq = NULL, hash = NULL, prev_hash = NULL, occurred_ms = NULL, correlation_id = NULL",
    )
    .await;
    exec(&engine, "UPDATE audit_chain SET last_seq = 0, last_hash = '0000000000000000000000000000000000000000000000000000000000000000'").await;
    let restarted = Engine::open(&url, Settings::for_tests()).await.unwrap();
    let report = restarted.verify_audit_trail_as_operator().await.unwrap();
    assert!(report.is_intact(), "{}", report.summary());
    assert_eq!(
        report.verified,
        count(&restarted, "SELECT COUNT(*) FROM audit_events").await
    );
}

#[tokio::test]
async fn a_change_whose_audit_event_fails_is_not_made() {
    let (engine, admin) = trail().await;
    let before = count(&engine, "SELECT COUNT(*) FROM audit_events").await;
    // The failure is injected after the change (the user row is written first) and before the
    // commit: writing the audit event fails.
    match engine.db().backend() {
        Backend::Sqlite => {
            exec(
                &engine,
                "CREATE TRIGGER inject_failure BEFORE INSERT ON audit_events \
                 BEGIN SELECT RAISE(ABORT, 'injected'); END",
            )
            .await
        }
        Backend::Postgres => {
            exec(
                &engine,
                "CREATE FUNCTION inject_failure() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$ LANGUAGE plpgsql",
            )
            .await;
            exec(
                &engine,
                "CREATE TRIGGER inject_failure BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION inject_failure()",
            )
            .await;
        }
    }
    assert!(engine
        .create_user(&admin, new_user("eve"), T0)
        .await
        .is_err());
    assert_eq!(
        count(&engine, "SELECT COUNT(*) FROM users WHERE username = 'eve'").await,
        0
    );
    assert_eq!(
        count(&engine, "SELECT COUNT(*) FROM audit_events").await,
        before
    );
    // The chain head did not move either: the next event follows on.
    exec(&engine, "DROP TRIGGER inject_failure ON audit_events")
        .await_or_sqlite(&engine)
        .await;
    engine
        .create_user(&admin, new_user("eve"), T0)
        .await
        .unwrap();
    assert!(engine.verify_audit_trail(&admin).await.unwrap().is_intact());
}

/// `DROP TRIGGER name ON table` is PostgreSQL's; SQLite's has no table.
trait DropTrigger {
    async fn await_or_sqlite(self, engine: &Engine);
}

impl<F: std::future::Future<Output = ()>> DropTrigger for F {
    async fn await_or_sqlite(self, engine: &Engine) {
        match engine.db().backend() {
            Backend::Postgres => self.await,
            Backend::Sqlite => {
                drop(self);
                exec(engine, "DROP TRIGGER inject_failure").await;
            }
        }
    }
}

#[tokio::test]
async fn the_log_file_holds_every_event_once_in_order_even_after_a_crash() {
    let (engine, _admin) = trail().await;
    let dir = std::env::temp_dir().join(format!("guise-audit-file-{}", uuid::Uuid::new_v4()));
    let log = dir.join("audit.log");
    let written = engine.project_audit_log(&log).await.unwrap();
    let total = count(&engine, "SELECT COUNT(*) FROM audit_events").await;
    assert_eq!(written as i64, total);
    // A crash after appending a line but before recording the position: the line is there,
    // uncounted.
    let admin = admin(&engine).await;
    engine
        .create_user(&admin, new_user("fay"), T0)
        .await
        .unwrap();
    let position = std::fs::read_to_string(dir.join("audit.log.position")).unwrap();
    engine.project_audit_log(&log).await.unwrap();
    std::fs::write(dir.join("audit.log.position"), position).unwrap();
    engine.project_audit_log(&log).await.unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let total = count(&engine, "SELECT COUNT(*) FROM audit_events").await;
    assert_eq!(lines.len() as i64, total, "{text}");
    let line_re = regex_lite(
        r"^TID: \[-1234\] \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] \[[^\]]+\]  INFO \{AUDIT_LOG\} - Initiator=\S+ Action=\S+ Target=\S+ Data=\{.*\} Outcome=\S+$",
    );
    assert!(lines.iter().all(|l| line_re(l)), "{text}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("Target=") && l.contains("Action=Add-User"))
            .count(),
        5
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A tiny matcher for the one pattern above, without a regex crate in the engine's tests: the
/// fixed prefix and suffix shapes.
fn regex_lite(_: &str) -> impl Fn(&str) -> bool {
    |line: &str| {
        line.starts_with("TID: [-1234] [")
            && line.contains("]  INFO {AUDIT_LOG} - Initiator=")
            && line.contains(" Action=")
            && line.contains(" Target=")
            && line.contains(" Data={")
            && line.contains("} Outcome=")
            && line.as_bytes().get(14 + 23) == Some(&b']')
            && line.as_bytes().get(14 + 19) == Some(&b',')
    }
}

#[tokio::test]
async fn impersonation_sessions_are_audited_and_the_user_sees_what_was_changed() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    olga_moves_to_sweden(&s, &olga).await;
    // The impersonator cannot read (or hide) the user's own activity.
    assert!(matches!(
        s.engine.account_activity(&olga).await.unwrap_err(),
        engine::Error::NotWhileImpersonating(_)
    ));
    s.engine
        .stop_impersonating(&olga, Timestamp(T0.0 + 60))
        .await
        .unwrap();
    // Refused: the administrator cannot impersonate themself.
    let admin_id = s.admin.principal().user_id().clone();
    assert!(s
        .engine
        .impersonate_from_console(
            &s.admin,
            &admin_id,
            &engine::impersonation::Justification::default(),
            T0
        )
        .await
        .is_err());
    let actions: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT action, initiator, impersonator FROM audit_events WHERE action LIKE 'Impersonation-%' \
         OR action = 'Set-User-Claim-Values' ORDER BY seq",
    )
    .fetch_all(s.engine.db().pool())
    .await
    .unwrap();
    let admin = admin_id.as_str().to_owned();
    assert_eq!(
        actions,
        vec![
            ("Impersonation-Started".into(), admin.clone(), None),
            (
                "Set-User-Claim-Values".into(),
                s.olga.as_str().to_owned(),
                Some(admin.clone())
            ),
            ("Impersonation-Stopped".into(), admin.clone(), None),
            ("Impersonation-Refused".into(), admin.clone(), None),
        ]
    );
    // Olga, signed in as herself, sees the session and the change.
    let own = sign_in(&s.engine, "olga", "olga-password").await.unwrap();
    let activity = s.engine.account_activity(&own.principal).await.unwrap();
    assert_eq!(activity.len(), 1);
    assert_eq!(activity[0].record.impersonator_id, admin_id);
    assert_eq!(activity[0].record.ended_at, Some(Timestamp(T0.0 + 60)));
    let changes: Vec<&str> = activity[0]
        .changes
        .iter()
        .map(|c| c.action.as_str())
        .collect();
    assert_eq!(changes, vec!["Set-User-Claim-Values"]);
}

#[tokio::test]
async fn an_impersonation_over_its_limit_is_audited_as_expired() {
    let s = setup().await;
    s.impersonate_olga().await;
    let later = Timestamp(T0.0 + Settings::for_tests().impersonation_limit_secs + 1);
    // The next request of the session finds the impersonation over its limit and ends it.
    let _ = s.engine.authenticate(&s.admin_token, later).await;
    assert_eq!(
        count(
            &s.engine,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'Impersonation-Expired'"
        )
        .await,
        1
    );
}

/// The change both trail and Logs tests make in Olga's name: her country, and her names as they are.
pub(crate) async fn olga_moves_to_sweden(s: &Setup, olga: &engine::Principal) {
    s.engine
        .update_my_profile(
            olga,
            ProfileChanges {
                email: "olga@example.com".into(),
                given_name: "Olga".into(),
                family_name: "Family".into(),
                country: "Sweden".into(),
            },
            T0,
        )
        .await
        .unwrap();
}
