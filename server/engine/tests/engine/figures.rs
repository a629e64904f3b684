//! The figures `/metrics` reads from the database: they follow what happens, on both backends.

use crate::harness::*;
use crate::impersonation_fixture::setup;

#[tokio::test]
async fn figures_count_live_sessions_impersonations_the_outbox_and_the_audit_head() {
    let s = setup().await;
    let before = s.engine.figures(T0).await.unwrap();
    assert!(before.active_sessions >= 1, "{before:?}");
    assert_eq!(before.active_impersonations, 0);
    assert!(before.audit_head > 0, "{before:?}");
    assert!(before.pool_connections >= 1, "{before:?}");

    s.impersonate_olga().await;
    let during = s.engine.figures(T0).await.unwrap();
    assert_eq!(during.active_impersonations, 1, "{during:?}");
    // Olga is told by email: one message waits.
    assert_eq!(
        during.outbox_pending,
        before.outbox_pending + 1,
        "{during:?}"
    );
    assert!(during.audit_head > before.audit_head, "{during:?}");

    // Past every lifetime, nothing is live any more.
    let much_later = engine::Timestamp(T0.0 + 365 * 24 * 3600);
    let after = s.engine.figures(much_later).await.unwrap();
    assert_eq!((after.active_sessions, after.active_impersonations), (0, 0));
}
