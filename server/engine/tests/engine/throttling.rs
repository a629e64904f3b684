use crate::harness::*;
use engine::sessions::SignIn;
use engine::Error;

async fn attempt(
    engine: &engine::Engine,
    username: &str,
    password: &str,
    addr: &str,
    at: i64,
) -> engine::Result<()> {
    engine
        .sign_in(
            SignIn {
                organization: None,
                username,
                password,
                client_addr: addr,
                previous_token: None,
                answering: None,
                application: None,
                request: None,
            },
            T0.plus_secs(at),
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
        .map(|_| ())
}

#[tokio::test]
async fn repeated_failures_block_the_account_with_growing_waits() {
    let engine = engine().await;
    for i in 0..5 {
        assert!(matches!(
            attempt(&engine, ADMIN, "wrong", "192.0.2.10", i).await,
            Err(Error::InvalidCredentials)
        ));
    }
    // The sixth failure starts the backoff: 1 s, then 2 s.
    assert!(matches!(
        attempt(&engine, ADMIN, "wrong", "192.0.2.10", 5).await,
        Err(Error::InvalidCredentials)
    ));
    // Even the right password is refused while blocked, and from another address too.
    assert!(matches!(
        attempt(&engine, ADMIN, ADMIN_PASSWORD, "198.51.100.7", 5).await,
        Err(Error::Throttled {
            retry_after_secs: 1
        })
    ));
    assert!(matches!(
        attempt(&engine, ADMIN, "wrong", "192.0.2.10", 6).await,
        Err(Error::InvalidCredentials)
    ));
    assert!(matches!(
        attempt(&engine, ADMIN, ADMIN_PASSWORD, "192.0.2.10", 7).await,
        Err(Error::Throttled {
            retry_after_secs: 1
        })
    ));
    // After the wait the right password works and resets the count.
    attempt(&engine, ADMIN, ADMIN_PASSWORD, "192.0.2.10", 8)
        .await
        .unwrap();
    assert!(matches!(
        attempt(&engine, ADMIN, "wrong", "192.0.2.10", 9).await,
        Err(Error::InvalidCredentials)
    ));
}

#[tokio::test]
async fn unknown_usernames_are_throttled_like_known_ones() {
    let engine = engine().await;
    for i in 0..6 {
        assert!(matches!(
            attempt(&engine, "ghost", "x", "192.0.2.20", i).await,
            Err(Error::InvalidCredentials)
        ));
    }
    assert!(matches!(
        attempt(&engine, "ghost", "x", "192.0.2.20", 5).await,
        Err(Error::Throttled { .. })
    ));
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_blocked() {
    let engine = engine().await;
    for i in 0..21 {
        let user = format!("user{i}");
        assert!(matches!(
            attempt(&engine, &user, "x", "203.0.113.5", i).await,
            Err(Error::InvalidCredentials)
        ));
    }
    assert!(matches!(
        attempt(&engine, ADMIN, ADMIN_PASSWORD, "203.0.113.5", 20).await,
        Err(Error::Throttled { .. })
    ));
    // Another address is not affected.
    attempt(&engine, ADMIN, ADMIN_PASSWORD, "203.0.113.6", 20)
        .await
        .unwrap();
}

#[tokio::test]
async fn old_failures_are_forgotten() {
    let engine = engine().await;
    for i in 0..5 {
        let _ = attempt(&engine, ADMIN, "wrong", "192.0.2.30", i).await;
    }
    // An hour later the count starts again: this failure is the first, not the sixth.
    assert!(matches!(
        attempt(&engine, ADMIN, "wrong", "192.0.2.30", 3700).await,
        Err(Error::InvalidCredentials)
    ));
    attempt(&engine, ADMIN, ADMIN_PASSWORD, "192.0.2.30", 3700)
        .await
        .unwrap();
}
