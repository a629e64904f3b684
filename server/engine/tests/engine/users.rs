use crate::harness::*;
use engine::users::{ProfileChanges, UserStatus};
use engine::{Error, UserId};

#[tokio::test]
async fn administrators_add_users_who_can_then_sign_in() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("Dana"), T0)
        .await
        .unwrap();
    assert_eq!(user.username, "Dana");
    assert_eq!(user.status, UserStatus::Active);
    assert!(UserId::parse(user.id.as_str()).is_some());
    sign_in(&engine, "dana", "Dana-password").await.unwrap();
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'Add-User'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn bad_input_names_each_field_and_stores_nothing() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let bad = engine::users::NewUser {
        username: "a b".into(),
        email: "not-an-email".into(),
        given_name: "x".repeat(101),
        family_name: String::new(),
        password: "short".into(),
    };
    let fields: Vec<_> = field_errors(engine.create_user(&admin, bad, T0).await.unwrap_err())
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(fields, ["username", "email", "given_name", "password"]);
    assert_eq!(count(&engine, "SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn a_taken_username_is_a_field_error_whatever_its_case() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    engine
        .create_user(&admin, new_user("erin"), T0)
        .await
        .unwrap();
    let e = engine
        .create_user(&admin, new_user("ERIN"), T0)
        .await
        .unwrap_err();
    assert_eq!(
        field_errors(e),
        [("username", "This username is already taken.".to_owned())]
    );
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'Add-User'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_list_searches_by_prefix_and_pages() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    for i in 0..25 {
        engine
            .create_user(&admin, new_user(&format!("member{i:02}")), T0)
            .await
            .unwrap();
    }
    engine
        .create_user(&admin, new_user("other_one"), T0)
        .await
        .unwrap();

    let all = engine.list_users(&admin, "", 1, 10).await.unwrap();
    assert_eq!(all.total, 27);
    assert_eq!(all.items.len(), 10);
    assert_eq!(all.items[0].username, "admin");

    let members = engine.list_users(&admin, "MEMBER", 3, 10).await.unwrap();
    assert_eq!(members.total, 25);
    assert_eq!(
        members
            .items
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        ["member20", "member21", "member22", "member23", "member24"]
    );

    // Email prefixes match too; LIKE wildcards in the search are literal.
    assert_eq!(
        engine
            .list_users(&admin, "member07@", 1, 10)
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        engine
            .list_users(&admin, "other_", 1, 10)
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        engine.list_users(&admin, "%", 1, 10).await.unwrap().total,
        0
    );
    assert_eq!(
        engine
            .list_users(&admin, "member", 99, 10)
            .await
            .unwrap()
            .items
            .len(),
        0
    );
}

#[tokio::test]
async fn profile_changes_are_validated_saved_and_audited_masked() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("frank"), T0)
        .await
        .unwrap();
    let e = engine
        .update_user(
            &admin,
            &user.id,
            ProfileChanges {
                email: "bad".into(),
                given_name: "F".into(),
                family_name: "G".into(),
                country: String::new(),
            },
            T0,
        )
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "email");

    let changed = engine
        .update_user(
            &admin,
            &user.id,
            ProfileChanges {
                email: "frank@example.com".into(),
                given_name: "Francis".into(),
                family_name: "Family".into(),
                country: String::new(),
            },
            T0.plus_secs(60),
        )
        .await
        .unwrap();
    assert_eq!(changed.given_name, "Francis");
    assert_eq!(changed.updated_at, T0.plus_secs(60));
    let data: String =
        sqlx::query_scalar("SELECT data FROM audit_events WHERE action = 'Set-User-Claim-Values'")
            .fetch_one(engine.db().pool())
            .await
            .unwrap();
    assert_eq!(data, r#"{"Claims":{"givenname":"F*****s"}}"#);
}

#[tokio::test]
async fn users_edit_their_own_profile() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    engine
        .create_user(&admin, new_user("gina"), T0)
        .await
        .unwrap();
    let me = sign_in(&engine, "gina", "gina-password")
        .await
        .unwrap()
        .principal;
    let updated = engine
        .update_my_profile(
            &me,
            ProfileChanges {
                email: "g@example.org".into(),
                given_name: "Gina".into(),
                family_name: "Lopez".into(),
                country: String::new(),
            },
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        (updated.given_name.as_str(), updated.email.as_str()),
        ("Gina", "g@example.org")
    );
    assert_eq!(engine.my_profile(&me).await.unwrap().family_name, "Lopez");
    let seen_by_admin = engine.get_user(&admin, &updated.id).await.unwrap();
    assert_eq!(seen_by_admin.given_name, "Gina");
}

#[tokio::test]
async fn deleting_removes_the_user_and_their_sessions() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("hank"), T0)
        .await
        .unwrap();
    let session = sign_in(&engine, "hank", "hank-password").await.unwrap();
    engine.delete_user(&admin, &user.id, T0).await.unwrap();
    assert!(matches!(
        engine.get_user(&admin, &user.id).await,
        Err(Error::NotFound("user"))
    ));
    assert!(engine
        .authenticate(session.token.expose(), T0)
        .await
        .is_err());
    assert!(matches!(
        engine.delete_user(&admin, &user.id, T0).await,
        Err(Error::NotFound("user"))
    ));
}

#[tokio::test]
async fn the_last_administrator_and_oneself_are_protected() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let me = admin.principal().user_id().clone();
    assert!(matches!(
        engine.delete_user(&admin, &me, T0).await,
        Err(Error::Refused(_))
    ));
    assert!(matches!(
        engine
            .set_user_status(&admin, &me, UserStatus::Locked, T0)
            .await,
        Err(Error::Refused(_))
    ));
}

#[tokio::test]
async fn people_without_console_roles_are_not_administrators() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    engine
        .create_user(&admin, new_user("ivan"), T0)
        .await
        .unwrap();
    let ivan = sign_in(&engine, "ivan", "ivan-password")
        .await
        .unwrap()
        .principal;
    // Before signing into the Console, the session holds no Console grant at all.
    assert!(matches!(
        engine.console_admin(&ivan).await,
        Err(Error::Unauthenticated)
    ));
    let granted = engine
        .sign_into_portal(&ivan, engine::access::CONSOLE_APP, T0)
        .await
        .unwrap();
    assert_eq!(granted.to_string(), "email internal_login openid profile");
    assert!(matches!(
        engine.console_admin(&ivan).await,
        Err(Error::NotAdministrator)
    ));
}

#[tokio::test]
async fn each_console_function_needs_its_own_scope() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let viewer = engine
        .create_user(&admin, new_user("jane"), T0)
        .await
        .unwrap();
    // A Console role that only lists and views users.
    let pool = engine.db().pool();
    sqlx::query(
        "INSERT INTO roles (id, org_id, name, audience_key, system_key, created_at) \
         SELECT 'viewer-role', org_id, 'Viewer', audience_key, NULL, 0 FROM roles WHERE system_key = 'console_administrator'",
    )
    .execute(pool)
    .await
    .unwrap();
    for scope in ["internal_user_mgt_list", "internal_user_mgt_view"] {
        sqlx::query("INSERT INTO role_permissions (role_id, scope) VALUES ('viewer-role', $1)")
            .bind(scope)
            .execute(pool)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO role_assignments (role_id, user_id) VALUES ('viewer-role', $1)")
        .bind(viewer.id.as_str())
        .execute(pool)
        .await
        .unwrap();

    let principal = sign_in(&engine, "jane", "jane-password")
        .await
        .unwrap()
        .principal;
    engine
        .sign_into_portal(&principal, engine::access::CONSOLE_APP, T0)
        .await
        .unwrap();
    let limited = engine.console_admin(&principal).await.unwrap();
    assert!(engine.list_users(&limited, "", 1, 10).await.is_ok());
    assert!(engine.get_user(&limited, &viewer.id).await.is_ok());
    assert!(matches!(
        engine.create_user(&limited, new_user("kim"), T0).await,
        Err(Error::Forbidden(_))
    ));
    let changes = ProfileChanges {
        email: "x@example.com".into(),
        given_name: String::new(),
        family_name: String::new(),
        country: String::new(),
    };
    assert!(matches!(
        engine.update_user(&limited, &viewer.id, changes, T0).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        engine
            .set_user_status(&limited, &viewer.id, UserStatus::Locked, T0)
            .await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        engine.delete_user(&limited, &viewer.id, T0).await,
        Err(Error::Forbidden(_))
    ));
}
