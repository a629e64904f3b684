//! What the engine's benchmarks share: a bootstrapped engine on a database of their own, and its
//! administrator signed into the Console.

use engine::bootstrap::BootstrapConfig;
use engine::secrets::Secret;
use engine::sessions::SignIn;
use engine::{ConsoleAdmin, Engine, Settings, Timestamp};

pub const T0: Timestamp = Timestamp(1_800_000_000);

/// A bootstrapped engine: on `GUISE_BENCH_POSTGRES_URL` when set (a database we may fill), else
/// on a fresh SQLite file named after `label`.
pub async fn bootstrapped_engine(label: &str) -> Engine {
    let url = match std::env::var("GUISE_BENCH_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            let dir = std::env::temp_dir().join("guise-bench");
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("{label}-{}.db", uuid::Uuid::new_v4().simple()));
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
    engine
}

/// The bootstrap administrator, signed in and into the Console.
pub async fn console_admin(engine: &Engine) -> ConsoleAdmin {
    let session = engine
        .sign_in(
            SignIn {
                organization: None,
                username: "admin",
                password: "bench-password",
                client_addr: "bench",
                previous_token: None,
                answering: None,
                application: None,
                request: None,
            },
            T0,
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
        .unwrap();
    engine
        .sign_into_portal(&session.principal, engine::access::CONSOLE_APP, T0)
        .await
        .unwrap();
    engine.console_admin(&session.principal).await.unwrap()
}
