use engine::bootstrap::BootstrapConfig;
use engine::secrets::Secret;
use engine::sessions::{NewSession, SignIn};
use engine::{ConsoleAdmin, Engine, Settings, Timestamp};
use sqlx::Executor;

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "admin-password-1";
pub const T0: Timestamp = Timestamp(1_800_000_000);

/// The migrated PostgreSQL database every test's database is copied from: a copy is a file copy,
/// where migrating each database anew runs every migration's statements again. Made once per test
/// binary; only its name is kept (a pool belongs to the runtime of the test that made it).
static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
/// PostgreSQL refuses to copy a template while another copy of it is being made.
static COPYING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn postgres_template(server: &str, base: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("guise_template_{}", uuid::Uuid::new_v4().simple());
            let admin = sqlx::AnyPool::connect(server)
                .await
                .expect("connect to the test PostgreSQL");
            admin
                .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .expect("create the template database");
            admin.close().await;
            let db = engine::Db::connect(&format!("{base}/{name}"))
                .await
                .expect("connect to the template database");
            db.migrate().await.expect("migrate the template database");
            db.close().await;
            name
        })
        .await
        .clone()
}

/// A database URL of its own for one test.
pub async fn fresh_database_url() -> String {
    let name = format!("guise_test_{}", uuid::Uuid::new_v4().simple());
    match std::env::var("GUISE_TEST_POSTGRES_URL") {
        Ok(server) if !server.is_empty() => {
            sqlx::any::install_default_drivers();
            let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
            let template = postgres_template(&server, base).await;
            let admin = sqlx::AnyPool::connect(&server)
                .await
                .expect("connect to the test PostgreSQL");
            {
                let _one_copy_at_a_time = COPYING.lock().await;
                admin
                    .execute(sqlx::AssertSqlSafe(format!(
                        "CREATE DATABASE {name} TEMPLATE {template}"
                    )))
                    .await
                    .expect("create test database");
            }
            admin.close().await;
            format!("{base}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join("guise-engine-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{name}.db")).display()
            )
        }
    }
}

pub fn bootstrap_config() -> BootstrapConfig {
    BootstrapConfig {
        admin_username: ADMIN.into(),
        admin_password: Some(Secret::new(ADMIN_PASSWORD.into())),
    }
}

/// A bootstrapped engine on a fresh database.
pub async fn engine() -> Engine {
    engine_at().await.0
}

/// A bootstrapped engine and its database URL (to open a second node on the same database).
pub async fn engine_at() -> (Engine, String) {
    let url = fresh_database_url().await;
    let engine = Engine::open(&url, Settings::for_tests())
        .await
        .expect("open");
    engine
        .bootstrap(bootstrap_config(), T0)
        .await
        .expect("bootstrap");
    (engine, url)
}

pub async fn sign_in(
    engine: &Engine,
    username: &str,
    password: &str,
) -> engine::Result<NewSession> {
    engine
        .sign_in(
            SignIn {
                organization: None,
                username,
                password,
                client_addr: "192.0.2.1",
                previous_token: None,
                answering: None,
                application: None,
                request: None,
            },
            T0,
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
}

pub async fn admin(engine: &Engine) -> ConsoleAdmin {
    let session = sign_in(engine, ADMIN, ADMIN_PASSWORD)
        .await
        .expect("admin signs in");
    engine
        .sign_into_portal(&session.principal, engine::access::CONSOLE_APP, T0)
        .await
        .expect("admin signs into the Console");
    engine
        .console_admin(&session.principal)
        .await
        .expect("admin has the Console")
}

pub fn new_user(username: &str) -> engine::users::NewUser {
    engine::users::NewUser {
        username: username.into(),
        email: format!("{username}@example.com"),
        given_name: "Given".into(),
        family_name: "Family".into(),
        password: format!("{username}-password"),
    }
}

pub fn field_errors(e: engine::Error) -> Vec<(&'static str, String)> {
    match e {
        engine::Error::Invalid(fields) => {
            fields.into_iter().map(|f| (f.field, f.message)).collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

pub async fn count(engine: &Engine, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(engine.db().pool())
        .await
        .expect("count")
}
