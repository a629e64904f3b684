//! Every way to the Console's scopes is an administrator the Administrators tab shows, and every
//! grant of one needs the administrators' scopes: an organization role carrying a Console scope
//! reaches the Console too, so it is treated as a Console role.

use crate::access::{limited_admin, requested, role, user};
use crate::harness::*;
use engine::access::{scopes, CONSOLE_APP};
use engine::roles::{NewRole, RoleAudience};
use engine::{Engine, Error};

/// A role manager whose Console role lacks the administrators' scopes, but who holds the user
/// list scope they will try to hand on.
async fn role_manager(engine: &Engine) -> engine::ConsoleAdmin {
    limited_admin(
        engine,
        "manager",
        &[
            scopes::ROLE_VIEW,
            scopes::ROLE_CREATE,
            scopes::ROLE_UPDATE,
            scopes::USER_LIST,
        ],
    )
    .await
}

fn org_role(name: &str, permissions: &[&str], assign: &[&str]) -> NewRole {
    NewRole {
        name: name.into(),
        audience: RoleAudience::Organization,
        permissions: permissions.iter().map(|s| (*s).to_owned()).collect(),
        assign: assign.iter().map(|s| (*s).to_owned()).collect(),
    }
}

#[tokio::test]
async fn an_organization_role_with_console_scopes_needs_the_administrators_scopes() {
    let engine = engine().await;
    let manager = role_manager(&engine).await;
    user(&engine, "olga").await;

    // Creating one, assigned or not, is refused next to the permissions.
    for assign in [&[][..], &["olga"][..]] {
        let errors = field_errors(
            engine
                .create_role_as(
                    &manager,
                    org_role("Hidden", &[scopes::USER_LIST], assign),
                    T0,
                )
                .await
                .unwrap_err(),
        );
        assert_eq!(errors[0].0, "permissions", "{errors:?}");
        assert!(errors[0].1.contains("administrators"), "{errors:?}");
    }
    // Adding a Console scope to an organization role is refused the same way.
    let plain = engine
        .create_role_as(&manager, org_role("Plain", &[], &[]), T0)
        .await
        .unwrap();
    let errors = field_errors(
        engine
            .update_role(
                &manager,
                &plain,
                "Plain".into(),
                vec![scopes::USER_LIST.into()],
                T0,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(errors[0].0, "permissions");
    // Assigning one that exists needs the scope to add administrators.
    let existing = role(
        &engine,
        "Org viewers",
        RoleAudience::Organization,
        &[scopes::USER_LIST],
        &[],
    )
    .await;
    assert!(matches!(
        engine
            .set_role_users(&manager, &existing, vec!["olga".into()], T0)
            .await,
        Err(Error::Forbidden(scopes::ADMINISTRATOR_CREATE))
    ));
    // Nobody got Console access along the way.
    let org = engine.root_org().await.unwrap();
    let console = engine.system_application(CONSOLE_APP).await.unwrap();
    let olga = user_id(&engine, "olga").await;
    let scope = engine
        .decide_user_scope(&console, &olga, &org, &requested(scopes::USER_LIST))
        .await
        .unwrap();
    assert!(!scope.contains(scopes::USER_LIST));
}

#[tokio::test]
async fn whoever_an_organization_role_makes_an_administrator_is_listed_and_removable() {
    let engine = engine().await;
    let full = admin(&engine).await;
    user(&engine, "olga").await;
    // The full administrator may make one, and assign it.
    let viewers = engine
        .create_role_as(
            &full,
            org_role("Org viewers", &[scopes::USER_LIST], &["olga"]),
            T0,
        )
        .await
        .unwrap();
    let listed = engine.list_administrators(&full).await.unwrap();
    let olga = listed
        .iter()
        .find(|a| a.member.username == "olga")
        .expect("olga is listed as an administrator");
    assert_eq!(olga.roles, vec!["Org viewers".to_owned()]);

    // Removing her as an administrator takes away the role that made her one.
    let olga_id = olga.member.user_id.clone();
    engine
        .remove_administrator(&full, &olga_id, T0)
        .await
        .unwrap();
    assert!(engine
        .list_administrators(&full)
        .await
        .unwrap()
        .iter()
        .all(|a| a.member.username != "olga"));
    assert!(engine
        .role(&full, &viewers)
        .await
        .unwrap()
        .members
        .is_empty());

    // An organization role without Console scopes makes nobody an administrator.
    role(
        &engine,
        "Org plain",
        RoleAudience::Organization,
        &[],
        &["olga"],
    )
    .await;
    assert!(engine
        .list_administrators(&full)
        .await
        .unwrap()
        .iter()
        .all(|a| a.member.username != "olga"));
}

async fn user_id(engine: &Engine, name: &str) -> engine::UserId {
    let full = admin(engine).await;
    engine
        .find_users(
            &full,
            &engine::provisioning::UserFilter::UserName(name.into()),
            1,
            1,
        )
        .await
        .unwrap()
        .0
        .remove(0)
        .id
}
