use crate::harness::*;
use engine::bootstrap::{BootstrapConfig, BootstrapOutcome};
use engine::{Engine, Settings};

#[tokio::test]
async fn first_start_creates_everything_once() {
    let url = fresh_database_url().await;
    let engine = Engine::open(&url, Settings::for_tests()).await.unwrap();
    assert!(matches!(
        engine.bootstrap(bootstrap_config(), T0).await.unwrap(),
        BootstrapOutcome::Created { .. }
    ));
    assert!(matches!(
        engine.bootstrap(bootstrap_config(), T0).await.unwrap(),
        BootstrapOutcome::AlreadyDone
    ));
    // A restart opens and migrates again without changing anything.
    let again = Engine::open(&url, Settings::for_tests()).await.unwrap();
    assert!(matches!(
        again.bootstrap(bootstrap_config(), T0).await.unwrap(),
        BootstrapOutcome::AlreadyDone
    ));
    assert_eq!(count(&again, "SELECT COUNT(*) FROM organizations").await, 1);
    assert_eq!(count(&again, "SELECT COUNT(*) FROM users").await, 1);
    assert_eq!(count(&again, "SELECT COUNT(*) FROM applications").await, 2);
    admin(&again).await;
}

#[tokio::test]
async fn nodes_starting_at_once_create_one_of_everything() {
    let url = fresh_database_url().await;
    let a = Engine::open(&url, Settings::for_tests()).await.unwrap();
    let b = Engine::open(&url, Settings::for_tests()).await.unwrap();
    let (ra, rb) = tokio::join!(
        a.bootstrap(bootstrap_config(), T0),
        b.bootstrap(bootstrap_config(), T0)
    );
    let created = [ra.unwrap(), rb.unwrap()]
        .iter()
        .filter(|o| matches!(o, BootstrapOutcome::Created { .. }))
        .count();
    assert_eq!(created, 1);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM organizations").await, 1);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM users").await, 1);
    // Administrator and Impersonator, and each system API resource once.
    assert_eq!(count(&a, "SELECT COUNT(*) FROM roles").await, 2);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM api_resources").await, 13);
}

#[tokio::test]
async fn a_missing_password_is_generated_and_works() {
    let url = fresh_database_url().await;
    let engine = Engine::open(&url, Settings::for_tests()).await.unwrap();
    let outcome = engine
        .bootstrap(
            BootstrapConfig {
                admin_username: "root-admin".into(),
                admin_password: None,
            },
            T0,
        )
        .await
        .unwrap();
    let BootstrapOutcome::Created {
        generated_password: Some(password),
        ..
    } = outcome
    else {
        panic!("expected a generated password");
    };
    assert!(password.expose().len() >= 32);
    assert!(
        !format!("{password:?}").contains(password.expose()),
        "Debug must not show the secret"
    );
    sign_in(&engine, "root-admin", password.expose())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_weak_bootstrap_password_is_refused() {
    let url = fresh_database_url().await;
    let engine = Engine::open(&url, Settings::for_tests()).await.unwrap();
    let weak = BootstrapConfig {
        admin_username: "admin".into(),
        admin_password: Some(engine::secrets::Secret::new("short".into())),
    };
    assert!(engine.bootstrap(weak, T0).await.is_err());
    assert_eq!(count(&engine, "SELECT COUNT(*) FROM users").await, 0);
}

#[tokio::test]
async fn a_database_from_before_the_access_model_is_brought_up_to_date() {
    let (engine, url) = engine_at().await;
    // As an older Guise left it: no Impersonator role and no API resources.
    for sql in [
        "DELETE FROM roles WHERE system_key = 'impersonator'",
        "DELETE FROM api_resources",
        "DELETE FROM system_state WHERE state_key LIKE 'system_model_version:%'",
    ] {
        sqlx::query(sql).execute(engine.db().pool()).await.unwrap();
    }
    let restarted = Engine::open(&url, Settings::for_tests()).await.unwrap();
    assert!(matches!(
        restarted.bootstrap(bootstrap_config(), T0).await.unwrap(),
        BootstrapOutcome::AlreadyDone
    ));
    assert_eq!(
        count(&restarted, "SELECT COUNT(*) FROM api_resources").await,
        13
    );
    // The administrators hold the new role, so someone can hand it on.
    assert_eq!(
        count(
            &restarted,
            "SELECT COUNT(*) FROM role_assignments ra JOIN roles r ON r.id = ra.role_id \
             WHERE r.system_key = 'impersonator'"
        )
        .await,
        1
    );
    // The Console is authorized again for the Administrator's scopes: the administrator still
    // gets every Console feature.
    let admin = admin(&restarted).await;
    assert!(admin.has(engine::access::Permission::RoleUpdate));
}
