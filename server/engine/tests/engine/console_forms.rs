//! The Console's forms and rules: roles, administrators, protocol settings and API resources.

use crate::access::*;
use crate::harness::*;
use engine::access::{scopes, CONSOLE_APP};
use engine::api_resources::{ApiResourceInput, ApiScope};
use engine::applications::{GrantType, ProtocolSettings};
use engine::roles::{NewRole, RoleAudience, RoleFilter};
use engine::{Error, PageRequest};

#[tokio::test]
async fn role_forms_report_field_errors() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let app = business_app(&engine, &[IMPERSONATE]).await;
    let new = |name: &str, audience: RoleAudience, permissions: &[&str]| NewRole {
        name: name.into(),
        audience,
        permissions: permissions.iter().map(|s| (*s).to_owned()).collect(),
        assign: vec![],
    };
    let for_app = || RoleAudience::Application(app.client_id.clone());
    engine
        .create_role_as(&admin, new("Support", for_app(), &[IMPERSONATE]), T0)
        .await
        .unwrap();
    // The same name in the same audience is taken; in another audience it is not.
    let dup = field_errors(
        engine
            .create_role_as(&admin, new("Support", for_app(), &[]), T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        dup,
        vec![(
            "name",
            "A role with this name already exists for this audience.".to_owned()
        )]
    );
    engine
        .create_role_as(&admin, new("Support", RoleAudience::Organization, &[]), T0)
        .await
        .unwrap();
    // Unknown scopes, scopes the application is not authorized for, and unknown users.
    let unknown = field_errors(
        engine
            .create_role_as(&admin, new("X", for_app(), &["no_such_scope"]), T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(unknown[0].0, "permissions");
    let unauthorized = field_errors(
        engine
            .create_role_as(
                &admin,
                new("Y", for_app(), &[scopes::ORG_USER_IMPERSONATE]),
                T0,
            )
            .await
            .unwrap_err(),
    );
    assert!(
        unauthorized[0].1.contains("not authorized"),
        "{unauthorized:?}"
    );
    let mut nobody = new("Z", RoleAudience::Organization, &[]);
    nobody.assign = vec!["nobody-here".into()];
    assert_eq!(
        field_errors(engine.create_role_as(&admin, nobody, T0).await.unwrap_err())[0].0,
        "assign"
    );
    let bad_app = field_errors(
        engine
            .create_role_as(
                &admin,
                new("W", RoleAudience::Application("nope".into()), &[]),
                T0,
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(bad_app[0].0, "audience");
    // System roles keep their permissions and stay.
    let impersonator = engine
        .list_roles(
            &admin,
            "Impersonator",
            RoleFilter::All,
            PageRequest::new(1, 5),
        )
        .await
        .unwrap()
        .items[0]
        .id
        .clone();
    assert!(matches!(
        engine
            .update_role(&admin, &impersonator, "Mine".into(), vec![], T0)
            .await,
        Err(Error::Refused(_))
    ));
    assert!(matches!(
        engine.delete_role(&admin, &impersonator, T0).await,
        Err(Error::Refused(_))
    ));
}

#[tokio::test]
async fn administrators_are_added_and_removed_but_never_the_last() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    user(&engine, "ada").await;
    let console_roles = engine.console_roles(&admin).await.unwrap();
    assert_eq!(console_roles[0].name, "Administrator");
    let administrator = console_roles[0].id.clone();
    engine
        .add_administrator(&admin, "ada", &administrator, T0)
        .await
        .unwrap();
    let again = field_errors(
        engine
            .add_administrator(&admin, "ada", &administrator, T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(again[0].0, "username");
    let unknown = field_errors(
        engine
            .add_administrator(&admin, "ghost", &administrator, T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(unknown[0].0, "username");
    let names: Vec<String> = engine
        .list_administrators(&admin)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.member.username)
        .collect();
    assert_eq!(names, vec!["ada", "admin"]);

    // Ada can now use the Console.
    let ada = sign_in(&engine, "ada", "ada-password").await.unwrap();
    engine
        .sign_into_portal(&ada.principal, CONSOLE_APP, T0)
        .await
        .unwrap();
    let ada_admin = engine.console_admin(&ada.principal).await.unwrap();
    assert!(ada_admin.has(engine::access::Permission::RoleUpdate));

    // Removing her revokes her Console sign-in at once.
    let admins = engine.list_administrators(&admin).await.unwrap();
    engine
        .remove_administrator(&admin, &admins[0].member.user_id, T0)
        .await
        .unwrap();
    assert!(matches!(
        engine.console_admin(&ada.principal).await,
        Err(Error::Unauthenticated)
    ));
    // The last administrator cannot be removed.
    let me = admin.principal().user_id().clone();
    assert!(matches!(
        engine.remove_administrator(&admin, &me, T0).await,
        Err(Error::Refused(_))
    ));
}

#[tokio::test]
async fn protocol_settings_are_validated() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let app = business_app(&engine, &[]).await;
    let settings = ProtocolSettings {
        redirect_uris: vec!["not a url".into()],
        post_logout_redirect_uris: vec![],
        grant_types: vec![GrantType::AuthorizationCode],
        pkce_required: true,
        access_token_lifetime: 3600,
        refresh_token_lifetime: 600,
        id_token_lifetime: 3600,
        subject_token_enabled: true,
        subject_token_lifetime: 180,
        refresh_grace_secs: 0,
    };
    let fields: Vec<&str> = field_errors(
        engine
            .update_application_protocol(&admin, &app.id, settings.clone(), T0)
            .await
            .unwrap_err(),
    )
    .into_iter()
    .map(|(f, _)| f)
    .collect();
    assert_eq!(
        fields,
        vec![
            "refresh_token_lifetime",
            "redirect_uris",
            "subject_token_enabled"
        ]
    );
    let fixed = ProtocolSettings {
        redirect_uris: vec!["https://shop.example/cb".into()],
        refresh_token_lifetime: 7200,
        grant_types: vec![GrantType::AuthorizationCode, GrantType::TokenExchange],
        ..settings
    };
    let updated = engine
        .update_application_protocol(&admin, &app.id, fixed, T0)
        .await
        .unwrap();
    assert!(updated.subject_token_enabled && updated.allows(GrantType::TokenExchange));
    assert_eq!(updated.refresh_token_lifetime, 7200);
    // The old secret stops working once a new one is made.
    let secret = engine
        .regenerate_client_secret(&admin, &app.id, T0)
        .await
        .unwrap();
    assert!(engine
        .authenticate_client(&app.client_id, Some(secret.expose()))
        .await
        .is_ok());
}

#[tokio::test]
async fn business_api_resources_are_registered_edited_and_deleted() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let input = |scopes: &[&str]| ApiResourceInput {
        identifier: "https://orders.example".into(),
        name: "Orders".into(),
        description: "Orders API".into(),
        scopes: scopes
            .iter()
            .map(|s| ApiScope {
                name: (*s).into(),
                display_name: String::new(),
                description: String::new(),
            })
            .collect(),
    };
    let api = engine
        .create_api_resource(&admin, input(&["orders:read", "orders:write"]), T0)
        .await
        .unwrap();
    assert_eq!(api.scopes[0].display_name, "orders:read");
    let dup = field_errors(
        engine
            .create_api_resource(&admin, input(&[]), T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(dup[0].0, "identifier");
    let refused = ["internal_x", "a b", "dup", "dup", "email", "internal_login"];
    let reserved = field_errors(
        engine
            .update_api_resource(&admin, &api.id, input(&refused), T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(reserved.len(), 5, "{reserved:?}");
    let mut system_identifier = input(&[]);
    system_identifier.identifier = "system:impersonation".into();
    let errors = field_errors(
        engine
            .create_api_resource(&admin, system_identifier, T0)
            .await
            .unwrap_err(),
    );
    assert_eq!(errors[0].0, "identifier");
    // A scope taken away leaves the roles that had it.
    let app = business_app(&engine, &[]).await;
    engine
        .authorize_api_resource(
            &admin,
            &app.id,
            &api.id,
            vec!["orders:read".into(), "orders:write".into()],
            T0,
        )
        .await
        .unwrap();
    let writer = engine
        .create_role_as(
            &admin,
            NewRole {
                name: "Writer".into(),
                audience: RoleAudience::Organization,
                permissions: vec!["orders:write".into()],
                assign: vec![],
            },
            T0,
        )
        .await
        .unwrap();
    engine
        .update_api_resource(&admin, &api.id, input(&["orders:read"]), T0)
        .await
        .unwrap();
    assert!(engine
        .role(&admin, &writer)
        .await
        .unwrap()
        .permissions
        .is_empty());
    let left = engine
        .application_authorizations(&admin, &app.id)
        .await
        .unwrap();
    let orders = left.iter().find(|a| a.resource.id == api.id).unwrap();
    assert_eq!(orders.scopes, vec!["orders:read".to_owned()]);
    // System resources are fixed.
    let system = resource_owning(&engine, &admin, IMPERSONATE).await;
    assert!(matches!(
        engine.delete_api_resource(&admin, &system, T0).await,
        Err(Error::Refused(_))
    ));
    engine
        .delete_api_resource(&admin, &api.id, T0)
        .await
        .unwrap();
    assert!(engine
        .application_authorizations(&admin, &app.id)
        .await
        .unwrap()
        .is_empty());
}
