//! Holding a scope means holding it for the audience in question: a scope held for one business
//! application cannot be handed to the organization (whose roles reach the Console), nor to
//! another application.

use crate::access::{business_app, limited_admin, requested, role, user};
use crate::harness::*;
use engine::access::{scopes, CONSOLE_APP};
use engine::roles::{NewRole, RoleAudience};

#[tokio::test]
async fn a_scope_held_for_one_application_is_not_granted_to_the_organization() {
    let engine = engine().await;
    // A role manager (Console) who holds user creation only for a business application, and
    // may even add administrators: the audience alone must stop them.
    let manager = limited_admin(
        &engine,
        "manager",
        &[
            scopes::ROLE_VIEW,
            scopes::ROLE_CREATE,
            scopes::ROLE_UPDATE,
            scopes::ADMINISTRATOR_CREATE,
        ],
    )
    .await;
    let shop = business_app(&engine, &[scopes::USER_CREATE]).await;
    role(
        &engine,
        "Shop provisioning",
        RoleAudience::Application(shop.client_id.clone()),
        &[scopes::USER_CREATE],
        &["manager"],
    )
    .await;
    let grab = NewRole {
        name: "Everyone creates users".into(),
        audience: RoleAudience::Organization,
        permissions: vec![scopes::USER_CREATE.into()],
        assign: vec!["manager".into()],
    };
    let errors = field_errors(engine.create_role_as(&manager, grab, T0).await.unwrap_err());
    assert_eq!(errors[0].0, "permissions", "{errors:?}");
    assert!(errors[0].1.contains(scopes::USER_CREATE), "{errors:?}");

    // Nor to another application's role.
    let other = business_app(&engine, &[scopes::USER_CREATE]).await;
    let errors = field_errors(
        engine
            .create_role_as(
                &manager,
                NewRole {
                    name: "Other provisioning".into(),
                    audience: RoleAudience::Application(other.client_id.clone()),
                    permissions: vec![scopes::USER_CREATE.into()],
                    assign: vec![],
                },
                T0,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(errors[0].0, "permissions", "{errors:?}");

    // Nor by assigning themself an organization role that carries it.
    let existing = role(
        &engine,
        "Org creators",
        RoleAudience::Organization,
        &[scopes::USER_CREATE],
        &[],
    )
    .await;
    let errors = field_errors(
        engine
            .set_role_users(&manager, &existing, vec!["manager".into()], T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(errors[0].0, "assign", "{errors:?}");

    // They never gained Console user management.
    let org = engine.root_org().await.unwrap();
    let console = engine.system_application(CONSOLE_APP).await.unwrap();
    let me = manager.principal().user_id().clone();
    assert!(!engine
        .decide_user_scope(&console, &me, &org, &requested(scopes::USER_CREATE))
        .await
        .unwrap()
        .contains(scopes::USER_CREATE));
    // The same scope in their own application's role is theirs to hand on there.
    user(&engine, "olga").await;
    engine
        .create_role_as(
            &manager,
            NewRole {
                name: "Shop helpers".into(),
                audience: RoleAudience::Application(shop.client_id.clone()),
                permissions: vec![scopes::USER_CREATE.into()],
                assign: vec!["olga".into()],
            },
            T0,
        )
        .await
        .unwrap();
}
