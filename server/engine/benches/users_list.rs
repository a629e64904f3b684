//! How the Console's user list scales: the same queries on 1,000 users (the baseline) and on
//! 100,000 users, in one run, reported as medians and as ratios to the baseline.
//!
//! `cargo bench -p engine --bench users_list` (SQLite); with `GUISE_BENCH_POSTGRES_URL` set to a
//! database we may fill, PostgreSQL instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark: fail loudly

use engine::bootstrap::BootstrapConfig;
use engine::secrets::Secret;
use engine::sessions::SignIn;
use engine::{ConsoleAdmin, Engine, Settings, Timestamp};
use std::time::{Duration, Instant};

const T0: Timestamp = Timestamp(1_800_000_000);
const ROUNDS: usize = 200;

async fn engine_with_users(n: usize) -> (Engine, ConsoleAdmin) {
    let url = match std::env::var("GUISE_BENCH_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            let dir = std::env::temp_dir().join("guise-bench");
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("users-{n}-{}.db", uuid::Uuid::new_v4().simple()));
            format!("sqlite://{}?mode=rwc", file.display())
        }
    };
    let engine = Engine::open(&url, Settings::default()).await.unwrap();
    engine
        .bootstrap(
            BootstrapConfig {
                admin_username: "admin".into(),
                admin_password: Some(Secret::new("bench-password".into())),
            },
            T0,
        )
        .await
        .unwrap();
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
    let session = engine
        .sign_in(
            SignIn {
                username: "admin",
                password: "bench-password",
                client_addr: "bench",
                previous_token: None,
                answering: None,
            },
            T0,
        )
        .await
        .unwrap();
    let admin = engine.console_admin(&session.principal).await.unwrap();
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
