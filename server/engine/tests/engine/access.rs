//! The access model: what a token's scope is (requested ∩ authorized ∩ role-granted) and the system
//! model; the fixtures the Console's tests share.

use crate::harness::*;
use crate::oauth::register;
use engine::access::{scopes, CONSOLE_APP};
use engine::api_resources::ApiScope;
use engine::applications::{Application, ClientType, GrantType};
use engine::oauth::scope::Scope;
use engine::roles::{NewRole, RoleAudience, RoleFilter};
use engine::{ConsoleAdmin, Engine, PageRequest, UserId};

pub(crate) const IMPERSONATE: &str = scopes::USER_IMPERSONATE;

pub(crate) fn requested(raw: &str) -> Scope {
    Scope::parse(raw).unwrap()
}

pub(crate) async fn user(engine: &Engine, name: &str) -> UserId {
    let admin = admin(engine).await;
    engine
        .create_user(&admin, new_user(name), T0)
        .await
        .unwrap()
        .id
}

pub(crate) async fn business_app(engine: &Engine, authorized: &[&str]) -> Application {
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

pub(crate) async fn resource_owning(
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

pub(crate) async fn role(
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
pub(crate) async fn limited_admin(
    engine: &Engine,
    name: &str,
    permissions: &[&str],
) -> ConsoleAdmin {
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
        assert!(admin.scopes().contains(*scope), "{scope}");
    }
}
