//! The Console's permissions: every function refuses a caller without its scope, and nobody hands
//! on what they do not hold.

use crate::access::*;
use crate::harness::*;
use engine::access::scopes;
use engine::api_resources::{ApiResourceInput, ApiScope};
use engine::applications::{GrantType, ProtocolSettings};
use engine::roles::{NewRole, RoleAudience, RoleFilter};
use engine::{Error, PageRequest, UserId};

#[tokio::test]
async fn every_console_function_refuses_a_caller_without_its_scope() {
    let engine = engine().await;
    let full = admin(&engine).await;
    let viewer = limited_admin(&engine, "viewer", &[scopes::USER_LIST]).await;
    assert!(
        viewer.has(engine::access::Permission::UserList)
            && !viewer.has(engine::access::Permission::RoleView)
    );
    let app = business_app(&engine, &[]).await;
    let a_role = engine
        .list_roles(&full, "", RoleFilter::All, PageRequest::new(1, 1))
        .await
        .unwrap()
        .items[0]
        .id
        .clone();
    let resource = resource_owning(&engine, &full, IMPERSONATE).await;
    let page = PageRequest::new(1, 10);
    let forbidden = |r: Result<(), Error>, what: &str| match r {
        Err(Error::Forbidden(_)) => {}
        other => panic!("{what}: expected Forbidden, got {other:?}"),
    };
    let some_user = UserId::generate();
    let protocol = ProtocolSettings {
        redirect_uris: vec!["https://x.example/cb".into()],
        post_logout_redirect_uris: vec![],
        grant_types: vec![GrantType::AuthorizationCode],
        pkce_required: true,
        access_token_lifetime: 3600,
        refresh_token_lifetime: 86400,
        id_token_lifetime: 3600,
        subject_token_enabled: false,
        subject_token_lifetime: 180,
        refresh_grace_secs: 0,
    };
    forbidden(
        engine
            .list_roles(&viewer, "", RoleFilter::All, page)
            .await
            .map(drop),
        "list_roles",
    );
    forbidden(engine.role(&viewer, &a_role).await.map(drop), "role");
    forbidden(
        engine
            .create_role_as(
                &viewer,
                NewRole {
                    name: "x".into(),
                    audience: RoleAudience::Organization,
                    permissions: vec![],
                    assign: vec![],
                },
                T0,
            )
            .await
            .map(drop),
        "create_role_as",
    );
    forbidden(
        engine
            .update_role(&viewer, &a_role, "x".into(), vec![], T0)
            .await
            .map(drop),
        "update_role",
    );
    forbidden(
        engine
            .set_role_users(&viewer, &a_role, vec![], T0)
            .await
            .map(drop),
        "set_role_users",
    );
    forbidden(
        engine.delete_role(&viewer, &a_role, T0).await,
        "delete_role",
    );
    forbidden(
        engine.list_applications(&viewer, "", page).await.map(drop),
        "list_applications",
    );
    forbidden(
        engine
            .application_for_admin(&viewer, &app.id)
            .await
            .map(drop),
        "application_for_admin",
    );
    forbidden(
        engine
            .update_application_protocol(&viewer, &app.id, protocol, T0)
            .await
            .map(drop),
        "update_application_protocol",
    );
    forbidden(
        engine
            .update_application_consent(&viewer, &app.id, true, true, T0)
            .await
            .map(drop),
        "update_application_consent",
    );
    forbidden(
        engine
            .regenerate_client_secret(&viewer, &app.id, T0)
            .await
            .map(drop),
        "regenerate_client_secret",
    );
    forbidden(
        engine.delete_application(&viewer, &app.id, T0).await,
        "delete_application",
    );
    forbidden(
        engine
            .application_authorizations(&viewer, &app.id)
            .await
            .map(drop),
        "application_authorizations",
    );
    forbidden(
        engine
            .authorize_api_resource(&viewer, &app.id, &resource, vec![], T0)
            .await
            .map(drop),
        "authorize_api_resource",
    );
    forbidden(
        engine.list_api_resources(&viewer, "", page).await.map(drop),
        "list_api_resources",
    );
    forbidden(
        engine.api_resource_catalog(&viewer).await.map(drop),
        "api_resource_catalog",
    );
    forbidden(
        engine.api_resource(&viewer, &resource).await.map(drop),
        "api_resource",
    );
    let input = ApiResourceInput {
        identifier: "https://api.example".into(),
        name: "API".into(),
        description: String::new(),
        scopes: vec![],
    };
    forbidden(
        engine
            .create_api_resource(&viewer, input.clone(), T0)
            .await
            .map(drop),
        "create_api_resource",
    );
    forbidden(
        engine
            .update_api_resource(&viewer, &resource, input, T0)
            .await
            .map(drop),
        "update_api_resource",
    );
    forbidden(
        engine.delete_api_resource(&viewer, &resource, T0).await,
        "delete_api_resource",
    );
    forbidden(
        engine.list_administrators(&viewer).await.map(drop),
        "list_administrators",
    );
    forbidden(
        engine.console_roles(&viewer).await.map(drop),
        "console_roles",
    );
    forbidden(
        engine
            .add_administrator(&viewer, "viewer", &a_role, T0)
            .await,
        "add_administrator",
    );
    forbidden(
        engine.remove_administrator(&viewer, &some_user, T0).await,
        "remove_administrator",
    );
    forbidden(
        engine.get_user(&viewer, &some_user).await.map(drop),
        "get_user",
    );
    forbidden(
        engine
            .create_user(&viewer, new_user("nobody"), T0)
            .await
            .map(drop),
        "create_user",
    );
    forbidden(
        engine.delete_user(&viewer, &some_user, T0).await,
        "delete_user",
    );
}

#[tokio::test]
async fn nobody_grants_what_they_do_not_hold() {
    let engine = engine().await;
    let full = admin(&engine).await;
    // A role manager who does not hold the impersonation scope nor the Administrator's powers.
    let manager = limited_admin(
        &engine,
        "manager",
        &[scopes::ROLE_VIEW, scopes::ROLE_CREATE, scopes::ROLE_UPDATE],
    )
    .await;
    user(&engine, "olga").await;
    let app = business_app(&engine, &[IMPERSONATE]).await;

    let escalate = NewRole {
        name: "Sneaky".into(),
        audience: RoleAudience::Application(app.client_id.clone()),
        permissions: vec![IMPERSONATE.into()],
        assign: vec![],
    };
    let errors = field_errors(
        engine
            .create_role_as(&manager, escalate.clone(), T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(errors[0].0, "permissions");
    assert!(errors[0].1.contains(IMPERSONATE), "{errors:?}");
    // The owner, who holds it, may.
    let sneaky = engine.create_role_as(&full, escalate, T0).await.unwrap();

    // Assigning a role hands on its permissions: the manager may not assign Impersonator; and
    // changing who holds a Console role (Administrator) needs the administrators' scopes too.
    let role_named = |name: &'static str| {
        let (engine, full) = (engine.clone(), full.clone());
        async move {
            engine
                .list_roles(&full, name, RoleFilter::All, PageRequest::new(1, 5))
                .await
                .unwrap()
                .items[0]
                .id
                .clone()
        }
    };
    let impersonator = role_named("Impersonator").await;
    let errors = field_errors(
        engine
            .set_role_users(&manager, &impersonator, vec!["olga".into()], T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(errors[0].0, "assign");
    let administrator = role_named("Administrator").await;
    assert!(matches!(
        engine
            .set_role_users(
                &manager,
                &administrator,
                vec!["olga".into(), ADMIN.into()],
                T0
            )
            .await,
        Err(Error::Forbidden(scopes::ADMINISTRATOR_CREATE))
    ));
    assert!(matches!(
        engine
            .set_role_users(&manager, &administrator, vec![], T0)
            .await,
        Err(Error::Forbidden(scopes::ADMINISTRATOR_DELETE))
    ));
    // Authorizing an application for a system scope hands it on as well.
    let app_manager = limited_admin(
        &engine,
        "appmanager",
        &[scopes::APPLICATION_VIEW, scopes::APPLICATION_UPDATE],
    )
    .await;
    let other = business_app(&engine, &[]).await;
    let impersonation = resource_owning(&engine, &full, IMPERSONATE).await;
    let errors = field_errors(
        engine
            .authorize_api_resource(
                &app_manager,
                &other.id,
                &impersonation,
                vec![IMPERSONATE.into()],
                T0,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(errors[0].0, "scopes");
    assert!(engine
        .set_role_users(&manager, &sneaky, vec!["olga".into()], T0)
        .await
        .is_err());
    assert!(engine
        .set_role_users(&full, &sneaky, vec!["olga".into()], T0)
        .await
        .is_ok());

    // A business API's scopes are the organization's to grant.
    let api = engine
        .create_api_resource(
            &full,
            ApiResourceInput {
                identifier: "https://orders.example".into(),
                name: "Orders".into(),
                description: String::new(),
                scopes: vec![ApiScope {
                    name: "orders:read".into(),
                    display_name: "Read orders".into(),
                    description: String::new(),
                }],
            },
            T0,
        )
        .await
        .unwrap();
    engine
        .authorize_api_resource(&full, &app.id, &api.id, vec!["orders:read".into()], T0)
        .await
        .unwrap();
    user(&engine, "oscar").await;
    let reader = NewRole {
        name: "Order reader".into(),
        audience: RoleAudience::Application(app.client_id.clone()),
        permissions: vec!["orders:read".into()],
        assign: vec!["oscar".into()],
    };
    engine
        .create_role_as(&manager, reader.clone(), T0)
        .await
        .unwrap();
    // Olga now holds impersonation (Sneaky), which the manager does not: her roles are above the
    // manager's ceiling, even for a business role.
    let for_olga = NewRole {
        name: "Order reader for Olga".into(),
        assign: vec!["olga".into()],
        ..reader
    };
    assert!(matches!(
        engine.create_role_as(&manager, for_olga, T0).await,
        Err(Error::AboveCeiling)
    ));
}
