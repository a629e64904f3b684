//! How the Console's Logs scale: the same queries on 1,000 audit events (the baseline) and on
//! 1,000,000, in one run, reported as medians and as ratios to the baseline. Keyset paging and
//! the filter indexes should keep every query near the baseline, the deepest page included.
//!
//! `cargo bench -p engine --bench audit_logs` (SQLite); with `GUISE_BENCH_POSTGRES_URL` set to a
//! database we may fill, PostgreSQL instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: fail loudly

mod support;

use engine::audit::query::LogFilter;
use engine::{ConsoleAdmin, Engine};
use std::time::{Duration, Instant};
use support::T0;

const ROUNDS: usize = 100;
const ACTIONS: [&str; 4] = [
    "Set-User-Claim-Values",
    "Add-User",
    "Update-Role",
    "resource-modification-via-impersonation",
];

async fn engine_with_events(n: i64) -> (Engine, ConsoleAdmin) {
    let engine = support::bootstrapped_engine(&format!("audit-{n}")).await;
    // Seeded directly after the bootstrap's own events (the chain's hashes do not matter to a
    // query): one event a second, every tenth impersonated, a rare action every hundredth.
    let first: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM audit_events")
        .fetch_one(engine.db().pool())
        .await
        .unwrap();
    let mut tx = engine.db().begin().await.unwrap();
    for i in 1..=n {
        let seq = first + i;
        let action = if i % 100 == 0 {
            "Delete-Role"
        } else {
            ACTIONS[(i % 4) as usize]
        };
        let impersonator = (i % 10 == 0).then_some("impersonator-id");
        sqlx::query(
            "INSERT INTO audit_events (id, occurred_at, occurred_ms, seq, correlation_id, initiator, impersonator, \
             action, target, data, outcome, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, 'bench', $5, $6, $7, $8, '{}', 'Success', '', '')",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(T0.0 + i)
        .bind((T0.0 + i) * 1000)
        .bind(seq)
        .bind(format!("user-{}", i % 5000))
        .bind(impersonator)
        .bind(action)
        .bind(format!("target-{}", i % 5000))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    sqlx::query("UPDATE audit_chain SET last_seq = $1 WHERE id = 1")
        .bind(first + n)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let admin = support::console_admin(&engine).await;
    (engine, admin)
}

/// A label, the filter on each database, and the page's cursor on each.
type Case = (&'static str, LogFilter, LogFilter, Option<i64>, Option<i64>);

async fn median(
    engine: &Engine,
    admin: &ConsoleAdmin,
    filter: &LogFilter,
    before: Option<i64>,
) -> Duration {
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let page = engine
            .audit_log_page(admin, filter, before, 25)
            .await
            .unwrap();
        times.push(start.elapsed());
        assert!(!page.events.is_empty());
    }
    times.sort();
    times[ROUNDS / 2]
}

#[tokio::main]
async fn main() {
    let (small_n, large_n) = (1_000_i64, 1_000_000_i64);
    let (small, small_admin) = engine_with_events(small_n).await;
    let (large, large_admin) = engine_with_events(large_n).await;
    println!(
        "{:<44} {:>12} {:>12} {:>8}",
        "Logs query (25 per page)", "1k events", "1M events", "ratio"
    );
    let rare = LogFilter {
        action: Some("Delete-Role".into()),
        ..LogFilter::default()
    };
    let impersonated = LogFilter {
        impersonated_only: true,
        ..LogFilter::default()
    };
    let target = LogFilter {
        target: Some("target-123".into()),
        ..LogFilter::default()
    };
    // The last hour of the seeded seconds.
    let hour = |n: i64| LogFilter {
        from_ms: Some((T0.0 + n - 3600) * 1000),
        until_ms: Some((T0.0 + n) * 1000),
        ..LogFilter::default()
    };
    let cases: [Case; 6] = [
        (
            "newest page, no filter",
            LogFilter::default(),
            LogFilter::default(),
            None,
            None,
        ),
        (
            "a page halfway back, no filter",
            LogFilter::default(),
            LogFilter::default(),
            Some(small_n / 2),
            Some(large_n / 2),
        ),
        (
            "rare action (1%), newest page",
            rare.clone(),
            rare,
            None,
            None,
        ),
        (
            "impersonated only (10%), newest page",
            impersonated.clone(),
            impersonated,
            None,
            None,
        ),
        (
            "one target, newest page",
            target.clone(),
            target,
            None,
            None,
        ),
        (
            "last hour, newest page",
            hour(small_n),
            hour(large_n),
            None,
            None,
        ),
    ];
    for (label, small_filter, large_filter, small_before, large_before) in cases {
        let base = median(&small, &small_admin, &small_filter, small_before).await;
        let big = median(&large, &large_admin, &large_filter, large_before).await;
        println!(
            "{label:<44} {:>10.3}ms {:>10.3}ms {:>7.1}x",
            base.as_secs_f64() * 1e3,
            big.as_secs_f64() * 1e3,
            big.as_secs_f64() / base.as_secs_f64()
        );
    }
}
