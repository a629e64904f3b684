//! A user's page: roles with audience, active sessions (one can be ended), last sign-in.

use crate::harness::*;
use engine::Error;

#[tokio::test]
async fn the_overview_lists_roles_sessions_and_the_last_successful_sign_in() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let una = engine
        .create_user(&admin, new_user("una"), T0)
        .await
        .unwrap();

    let before = engine.user_overview(&admin, &una.id, T0).await.unwrap();
    assert!(before.roles.is_empty());
    assert!(before.sessions.is_empty());
    assert_eq!(before.last_sign_in, None);

    // A failed attempt is not a sign-in.
    assert!(sign_in(&engine, "una", "wrong").await.is_err());
    assert_eq!(
        engine
            .user_overview(&admin, &una.id, T0)
            .await
            .unwrap()
            .last_sign_in,
        None
    );
    let first = sign_in(&engine, "una", "una-password").await.unwrap();
    let second = sign_in(&engine, "una", "una-password").await.unwrap();
    let overview = engine.user_overview(&admin, &una.id, T0).await.unwrap();
    assert_eq!(overview.last_sign_in, Some(T0));
    assert_eq!(overview.sessions.len(), 2);
    assert!(overview.sessions.iter().all(|s| !s.impersonating));
    // The handle names a session without being what the database stores.
    let stored: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM sessions")
        .fetch_all(engine.db().pool())
        .await
        .unwrap();
    assert!(overview
        .sessions
        .iter()
        .all(|s| !stored.iter().any(|h| h.contains(&s.handle))));

    // The administrator's own roles carry their audience.
    let own = engine
        .user_overview(&admin, admin.principal().user_id(), T0)
        .await
        .unwrap();
    assert!(
        own.roles
            .iter()
            .any(|r| r.name == "Administrator" && r.application.is_some()),
        "{:?}",
        own.roles
    );

    // Ending one session signs out that browser alone, and is audited.
    let which = &overview.sessions[0].handle;
    engine
        .end_user_session(&admin, &una.id, which, T0)
        .await
        .unwrap();
    let mut still_signed_in = 0;
    for token in [first.token.expose(), second.token.expose()] {
        if engine.authenticate(token, T0).await.is_ok() {
            still_signed_in += 1;
        }
    }
    assert_eq!(still_signed_in, 1);
    let after = engine.user_overview(&admin, &una.id, T0).await.unwrap();
    assert_eq!(after.sessions.len(), 1);
    assert_ne!(&after.sessions[0].handle, which);
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'End-User-Session'"
        )
        .await,
        1
    );

    // A handle that names no session of the user is not found; nothing else ends.
    assert!(matches!(
        engine.end_user_session(&admin, &una.id, which, T0).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        engine
            .end_user_session(
                &admin,
                admin.principal().user_id(),
                &after.sessions[0].handle,
                T0
            )
            .await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        engine
            .user_overview(&admin, &una.id, T0)
            .await
            .unwrap()
            .sessions
            .len(),
        1
    );
}
