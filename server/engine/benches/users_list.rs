//! How the Console's user list scales: the same queries on 1,000 users (the baseline) and on
//! 100,000 users, in one run, reported as medians and as ratios to the baseline.
//!
//! `cargo bench -p engine --bench users_list` (SQLite); with `GUISE_BENCH_POSTGRES_URL` set to a
//! database we may fill, PostgreSQL instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: fail loudly

mod support;

use engine::{ConsoleAdmin, Engine};
use std::time::{Duration, Instant};

const ROUNDS: usize = 200;

async fn engine_with_users(n: usize) -> (Engine, ConsoleAdmin) {
    let engine = support::bootstrapped_engine(&format!("users-{n}")).await;
    let org = engine.root_org().await.unwrap();
    // Seeded directly: Argon2 for 100,000 users would measure the hasher, not the list.
    let mut tx = engine.db().begin().await.unwrap();
    for i in 0..n {
        let name = format!("user{i:06}");
        sqlx::query(
            "INSERT INTO users (id, org_id, username, username_key, email, email_key, given_name, family_name, status, \
             password_hash, created_at, updated_at) VALUES ($1, $2, $3, $3, $4, $4, 'Given', 'Family', 'active', NULL, 0, 0)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(org.as_str())
        .bind(&name)
        .bind(format!("{name}@example.com"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let admin = support::console_admin(&engine).await;
    (engine, admin)
}

async fn median(engine: &Engine, admin: &ConsoleAdmin, search: &str, page: u32) -> Duration {
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let found = engine.list_users(admin, search, page, 20).await.unwrap();
        times.push(start.elapsed());
        assert!(found.total > 0);
    }
    times.sort();
    times[ROUNDS / 2]
}

#[tokio::main]
async fn main() {
    let (small, small_admin) = engine_with_users(1_000).await;
    let (large, large_admin) = engine_with_users(100_000).await;
    println!(
        "{:<34} {:>12} {:>12} {:>8}",
        "query (20 per page)", "1k users", "100k users", "ratio"
    );
    for (label, search, page_small, page_large) in [
        ("first page, no search", "", 1, 1),
        ("last page, no search", "", 50, 5000),
        ("username prefix 'user0009'", "user0009", 1, 1),
        ("email prefix 'user000123@'", "user000123@", 1, 1),
    ] {
        let base = median(&small, &small_admin, search, page_small).await;
        let big = median(&large, &large_admin, search, page_large).await;
        println!(
            "{label:<34} {:>10.3}ms {:>10.3}ms {:>7.1}x",
            base.as_secs_f64() * 1e3,
            big.as_secs_f64() * 1e3,
            big.as_secs_f64() / base.as_secs_f64()
        );
    }
}
