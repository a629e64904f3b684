//! The access model: what a token's scope is (requested ∩ authorized ∩ role-granted), the Console's
//! fine-grained permissions, and that nobody hands on what they do not hold.

use crate::harness::*;
use crate::oauth::register;
use engine::access::{scopes, CONSOLE_APP};
use engine::api_resources::{ApiResourceInput, ApiScope};
use engine::applications::{Application, ClientType, GrantType, ProtocolSettings};
use engine::oauth::scope::Scope;
use engine::roles::{NewRole, RoleAudience, RoleFilter};
use engine::{ConsoleAdmin, Engine, Error, PageRequest, UserId};

const IMPERSONATE: &str = scopes::USER_IMPERSONATE;

fn requested(raw: &str) -> Scope {
    Scope::parse(raw).unwrap()
}

async fn user(engine: &Engine, name: &str) -> UserId {
    let admin = admin(engine).await;
    engine
        .create_user(&admin, new_user(name), T0)
        .await
        .unwrap()
        .id
}

async fn business_app(engine: &Engine, authorized: &[&str]) -> Application {
    let (app, _) = register(
        engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode],
    )
    .await;
    if !authorized.is_empty() {
        let admin = admin(engine).await;
        let resource = resource_owning(engine, &admin, authorized[0]).await;
        engine
            .authorize_api_resource(
                &admin,
                &app.id,
                &resource,
                authorized.iter().map(|s| (*s).to_owned()).collect(),
                T0,
            )
            .await
            .unwrap();
    }
    app
}

async fn resource_owning(
    engine: &Engine,
    admin: &ConsoleAdmin,
    scope: &str,
) -> engine::ApiResourceId {
    engine
        .api_resource_catalog(admin)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.scopes.iter().any(|s| s.name == scope))
        .unwrap()
        .id
}

async fn role(
    engine: &Engine,
    name: &str,
    audience: RoleAudience,
    permissions: &[&str],
    users: &[&str],
) -> engine::RoleId {
    let org = engine.root_org().await.unwrap();
    engine
        .create_role(
            "test",
            &org,
            NewRole {
                name: name.into(),
                audience,
                permissions: permissions.iter().map(|s| (*s).to_owned()).collect(),
                assign: users.iter().map(|s| (*s).to_owned()).collect(),
            },
            T0,
        )
        .await
        .unwrap()
}

/// A user who holds only `permissions` in the Console, signed into it.
async fn limited_admin(engine: &Engine, name: &str, permissions: &[&str]) -> ConsoleAdmin {
    user(engine, name).await;
    role(
        engine,
        &format!("{name} console"),
        RoleAudience::Application("CONSOLE".into()),
        permissions,
        &[name],
    )
    .await;
    let session = sign_in(engine, name, &format!("{name}-password"))
        .await
        .unwrap();
    engine
        .sign_into_portal(&session.principal, CONSOLE_APP, T0)
        .await
        .unwrap();
    engine.console_admin(&session.principal).await.unwrap()
}

#[tokio::test]
async fn token_scope_is_requested_and_authorized_and_granted_by_a_role_of_the_audience() {
    let engine = engine().await;
    let org = engine.root_org().await.unwrap();
    let olga = user(&engine, "olga").await;
    let app = business_app(&engine, &[IMPERSONATE]).await;
    let ask = requested(&format!("openid profile {IMPERSONATE} made_up_scope"));

    // No role: only the OpenID scopes; an unknown scope never passes.
    let none = engine
        .decide_user_scope(&app, &olga, &org, &ask)
        .await
        .unwrap();
    assert_eq!(none.to_string(), "openid profile");

    // A role for this application grants it.
    let app_role = role(
        &engine,
        "Support",
        RoleAudience::Application(app.client_id.clone()),
        &[IMPERSONATE],
        &["olga"],
    )
    .await;
    let granted = engine
        .decide_user_scope(&app, &olga, &org, &ask)
        .await
        .unwrap();
    assert_eq!(granted.to_string(), format!("{IMPERSONATE} openid profile"));
    // Only when asked for.
    let not_asked = engine
        .decide_user_scope(&app, &olga, &org, &requested("openid"))
        .await
        .unwrap();
    assert_eq!(not_asked.to_string(), "openid");

    // Revoking the assignment takes it away.
    let admin = admin(&engine).await;
    engine
        .set_role_users(&admin, &app_role, vec![], T0)
        .await
        .unwrap();
    assert!(!engine
        .decide_user_scope(&app, &olga, &org, &ask)
        .await
        .unwrap()
        .contains(IMPERSONATE));

    // An organization role applies to every application authorized for the scope…
    role(
        &engine,
        "Org impersonators",
        RoleAudience::Organization,
        &[IMPERSONATE],
        &["olga"],
    )
    .await;
    assert!(engine
        .decide_user_scope(&app, &olga, &org, &ask)
        .await
        .unwrap()
        .contains(IMPERSONATE));
    // …but never to an application that is not authorized for it.
    let unauthorized = business_app(&engine, &[]).await;
    assert!(!engine
        .decide_user_scope(&unauthorized, &olga, &org, &ask)
        .await
        .unwrap()
        .contains(IMPERSONATE));
}

#[tokio::test]
async fn a_role_for_one_application_grants_nothing_for_another() {
    let engine = engine().await;
    let org = engine.root_org().await.unwrap();
    let olga = user(&engine, "olga").await;
    let first = business_app(&engine, &[IMPERSONATE]).await;
    let second = business_app(&engine, &[IMPERSONATE]).await;
    role(
        &engine,
        "First app",
        RoleAudience::Application(first.client_id.clone()),
        &[IMPERSONATE],
        &["olga"],
    )
    .await;
    let ask = requested(IMPERSONATE);
    assert!(engine
        .decide_user_scope(&first, &olga, &org, &ask)
        .await
        .unwrap()
        .contains(IMPERSONATE));
    assert!(!engine
        .decide_user_scope(&second, &olga, &org, &ask)
        .await
        .unwrap()
        .contains(IMPERSONATE));
}

#[tokio::test]
async fn removing_an_authorization_removes_it_from_tokens_and_from_the_applications_roles() {
    let engine = engine().await;
    let org = engine.root_org().await.unwrap();
    let olga = user(&engine, "olga").await;
    let app = business_app(&engine, &[IMPERSONATE]).await;
    let support = role(
        &engine,
        "Support",
        RoleAudience::Application(app.client_id.clone()),
        &[IMPERSONATE],
        &["olga"],
    )
    .await;
    let admin = admin(&engine).await;
    let resource = resource_owning(&engine, &admin, IMPERSONATE).await;
    // Olga signed in to the application before: that grant carries what is about to be taken away.
    let session = sign_in(&engine, "olga", "olga-password").await.unwrap();
    let code = crate::oauth::code_for(&engine, &app, &session.principal, T0).await;
    engine
        .token(&app, &crate::oauth::redeem(&code), T0)
        .await
        .unwrap();
    let live_grants = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM oauth_grants WHERE app_id = $1 AND revoked_at IS NULL",
        )
        .bind(app.id.as_str())
        .fetch_one(engine.db().pool())
        .await
        .unwrap()
    };
    assert_eq!(live_grants().await, 1);
    let left = engine
        .authorize_api_resource(&admin, &app.id, &resource, vec![], T0)
        .await
        .unwrap();
    assert!(left.is_empty());
    assert_eq!(live_grants().await, 0);
    assert!(!engine
        .decide_user_scope(&app, &olga, &org, &requested(IMPERSONATE))
        .await
        .unwrap()
        .contains(IMPERSONATE));
    assert!(engine
        .role(&admin, &support)
        .await
        .unwrap()
        .permissions
        .is_empty());
}

#[tokio::test]
async fn system_model_exists_from_the_first_start() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let catalog = engine.api_resource_catalog(&admin).await.unwrap();
    let find = |identifier: &str| catalog.iter().find(|r| r.identifier == identifier).unwrap();
    let impersonation = find("system:impersonation");
    assert_eq!(impersonation.name, "User Impersonation");
    assert!(impersonation.system);
    assert_eq!(
        impersonation.scopes,
        vec![ApiScope {
            name: IMPERSONATE.into(),
            display_name: "User Impersonation Scope".into(),
            description: "Impersonate a user of the organization.".into()
        }]
    );
    assert_eq!(
        find("org:impersonation").scopes[0].display_name,
        "User Impersonation Scope for Organizations"
    );
    assert_eq!(find("/scim2/Users").scopes.len(), 5);

    let roles = engine
        .list_roles(
            &admin,
            "Impersonator",
            RoleFilter::All,
            PageRequest::new(1, 20),
        )
        .await
        .unwrap();
    assert_eq!(roles.total, 1);
    let impersonator = engine.role(&admin, &roles.items[0].id).await.unwrap();
    assert_eq!(
        impersonator.summary.application.as_ref().unwrap().1,
        "My Account"
    );
    assert!(impersonator.summary.system);
    let permissions: Vec<&str> = impersonator
        .permissions
        .iter()
        .map(|p| p.scope.as_str())
        .collect();
    assert_eq!(permissions, vec![scopes::ORG_USER_IMPERSONATE, IMPERSONATE]);
    // The Administrator holds every Console scope.
    for scope in scopes::CONSOLE_ADMINISTRATOR {
        assert!(admin.has(scope), "{scope}");
    }
}

#[tokio::test]
async fn every_console_function_refuses_a_caller_without_its_scope() {
    let engine = engine().await;
    let full = admin(&engine).await;
    let viewer = limited_admin(&engine, "viewer", &[scopes::USER_LIST]).await;
    assert!(viewer.has(scopes::USER_LIST) && !viewer.has(scopes::ROLE_VIEW));
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
    let reader = NewRole {
        name: "Order reader".into(),
        audience: RoleAudience::Application(app.client_id.clone()),
        permissions: vec!["orders:read".into()],
        assign: vec!["olga".into()],
    };
    engine.create_role_as(&manager, reader, T0).await.unwrap();
}

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
    assert!(ada_admin.has(scopes::ROLE_UPDATE));

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
    let me = admin.principal().user_id.clone();
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
