//! The privilege ceiling: every write path on users (Console, SCIM, My Account and role
//! assignment) is run by an actor against a target who holds more (refused) and against one who
//! holds nothing (allowed). A path that forgot the ceiling would let the first case through.

use crate::access::{business_app, limited_admin, role};
use crate::harness::*;
use crate::oauth::{code_for, redeem, refresh, register};
use engine::access::scopes;
use engine::applications::{Application, ClientType, GrantType};
use engine::ceiling::Operation;
use engine::provisioning::ProvisionedUser;
use engine::roles::{NewRole, RoleAudience, RoleFilter};
use engine::users::{IfMatch, ProfileChanges, User, UserStatus};
use engine::{ConsoleAdmin, Engine, Error, PageRequest, Principal, RoleId, UserId};

/// Every write path on users, as the engine offers it.
#[derive(Clone, Copy, Debug)]
enum WritePath {
    ConsoleUpdateUser,
    ConsoleLock,
    ConsoleDisable,
    ConsoleActivate,
    ConsoleDelete,
    ConsoleResetSecondFactors,
    ConsoleAssignRole,
    ConsoleUnassignRole,
    ConsoleCreateRoleAssigning,
    ConsoleChangeRolePermissions,
    ConsoleDeleteRole,
    ConsoleAddAdministrator,
    ConsoleRemoveAdministrator,
    ScimReplace,
    ScimPatchPassword,
    ScimPatchDeactivate,
    ScimDelete,
    /// My Account / `/scim2/Me`, by someone acting on the user's behalf (a token with `act`).
    SelfProfileOnBehalf,
    // (Changing the password on someone's behalf is refused outright: impersonation_guardrails.rs.)
}

const PATHS: &[WritePath] = &[
    WritePath::ConsoleUpdateUser,
    WritePath::ConsoleLock,
    WritePath::ConsoleDisable,
    WritePath::ConsoleActivate,
    WritePath::ConsoleDelete,
    WritePath::ConsoleResetSecondFactors,
    WritePath::ConsoleAssignRole,
    WritePath::ConsoleUnassignRole,
    WritePath::ConsoleCreateRoleAssigning,
    WritePath::ConsoleChangeRolePermissions,
    WritePath::ConsoleDeleteRole,
    WritePath::ConsoleAddAdministrator,
    WritePath::ConsoleRemoveAdministrator,
    WritePath::ScimReplace,
    WritePath::ScimPatchPassword,
    WritePath::ScimPatchDeactivate,
    WritePath::ScimDelete,
    WritePath::SelfProfileOnBehalf,
];

/// What the table shares: the full administrator, and a help desk that holds everything the
/// Administrator role holds but not the Impersonator role.
pub(crate) struct Fixture {
    pub(crate) engine: Engine,
    pub(crate) full: ConsoleAdmin,
    pub(crate) helpdesk: ConsoleAdmin,
    app: Application,
}

pub(crate) async fn fixture() -> Fixture {
    let engine = engine().await;
    let full = admin(&engine).await;
    let helpdesk = limited_admin(&engine, "helpdesk", &scopes::ADMINISTRATOR_HOLDS.concat()).await;
    let app = business_app(&engine, &[scopes::USER_VIEW, scopes::USER_UPDATE]).await;
    Fixture {
        engine,
        full,
        helpdesk,
        app,
    }
}

/// Makes `name` hold what the first administrator holds: Administrator and Impersonator.
async fn make_boss(engine: &Engine, name: &str) {
    sqlx::query(
        "INSERT INTO role_assignments (role_id, user_id) SELECT r.id, u.id FROM roles r, users u \
         WHERE r.system_key IN ('console_administrator', 'impersonator') AND u.username = $1",
    )
    .bind(name)
    .execute(engine.db().pool())
    .await
    .unwrap();
}

async fn role_named(f: &Fixture, name: &str) -> RoleId {
    f.engine
        .list_roles(&f.full, name, RoleFilter::All, PageRequest::new(1, 5))
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|r| r.name == name)
        .unwrap()
        .id
}

fn app_audience(f: &Fixture) -> RoleAudience {
    RoleAudience::Application(f.app.client_id.clone())
}

/// A principal acting for `subject` with `actor` as the real actor: a token whose grant records
/// the actor, as an impersonation grant will, refreshed so that the token carries `act`.
async fn on_behalf(engine: &Engine, actor: &UserId, subject: &str) -> Principal {
    let (app, _) = register(
        engine,
        ClientType::Confidential,
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
    .await;
    let session = sign_in(engine, subject, &format!("{subject}-password"))
        .await
        .unwrap();
    let code = code_for(engine, &app, &session.principal, T0).await;
    let first = engine.token(&app, &redeem(&code), T0).await.unwrap();
    sqlx::query("UPDATE oauth_grants SET actor_id = $1 WHERE app_id = $2")
        .bind(actor.as_str())
        .bind(app.id.as_str())
        .execute(engine.db().pool())
        .await
        .unwrap();
    let refreshed = engine
        .token(&app, &refresh(&first.refresh_token.unwrap()), T0)
        .await
        .unwrap();
    let access = engine
        .authenticate_bearer(&refreshed.access_token, T0)
        .await
        .unwrap();
    let principal = engine.principal_from_bearer(&access).unwrap();
    assert_eq!(principal.actor(), Some(actor));
    assert_eq!(principal.acting_user(), actor);
    principal
}

fn replacement(u: &User, password: Option<&str>, active: bool) -> ProvisionedUser {
    ProvisionedUser {
        username: u.username.clone(),
        email: u.email.clone(),
        given_name: "Changed".into(),
        family_name: u.family_name.clone(),
        country: u.country.clone(),
        address_primary: u.address_primary,
        active,
        external_id: None,
        password: password.map(str::to_owned),
    }
}

/// Sets up what `path` needs around the target `name`, then runs it as the help desk.
async fn run(f: &Fixture, path: WritePath, name: &str, target: &UserId) -> Result<(), Error> {
    let (e, hd) = (&f.engine, &f.helpdesk);
    let changes = ProfileChanges {
        email: format!("{name}@changed.example"),
        given_name: "Changed".into(),
        family_name: "Name".into(),
        country: String::new(),
    };
    match path {
        WritePath::ConsoleUpdateUser => e.update_user(hd, target, changes, T0).await.map(drop),
        WritePath::ConsoleLock => e
            .set_user_status(hd, target, UserStatus::Locked, T0)
            .await
            .map(drop),
        WritePath::ConsoleDisable => e
            .set_user_status(hd, target, UserStatus::Disabled, T0)
            .await
            .map(drop),
        WritePath::ConsoleActivate => {
            e.set_user_status(&f.full, target, UserStatus::Locked, T0)
                .await
                .unwrap();
            e.set_user_status(hd, target, UserStatus::Active, T0)
                .await
                .map(drop)
        }
        WritePath::ConsoleDelete => e.delete_user(hd, target, T0).await,
        WritePath::ConsoleResetSecondFactors => e.reset_second_factors(hd, target, T0).await,
        WritePath::ConsoleAssignRole => {
            let r = role(e, &format!("{name} empty"), app_audience(f), &[], &[]).await;
            e.set_role_users(hd, &r, vec![name.into()], T0)
                .await
                .map(drop)
        }
        WritePath::ConsoleUnassignRole => {
            let r = role(e, &format!("{name} empty"), app_audience(f), &[], &[name]).await;
            e.set_role_users(hd, &r, vec![], T0).await.map(drop)
        }
        WritePath::ConsoleCreateRoleAssigning => {
            let new = NewRole {
                name: format!("{name} new"),
                audience: app_audience(f),
                permissions: vec![],
                assign: vec![name.into()],
            };
            e.create_role_as(hd, new, T0).await.map(drop)
        }
        WritePath::ConsoleChangeRolePermissions => {
            let r = role(
                e,
                &format!("{name} viewer"),
                app_audience(f),
                &[scopes::USER_VIEW],
                &[name],
            )
            .await;
            e.update_role(hd, &r, format!("{name} viewer"), vec![], T0)
                .await
                .map(drop)
        }
        WritePath::ConsoleDeleteRole => {
            let r = role(
                e,
                &format!("{name} viewer"),
                app_audience(f),
                &[scopes::USER_VIEW],
                &[name],
            )
            .await;
            e.delete_role(hd, &r, T0).await
        }
        WritePath::ConsoleAddAdministrator => {
            let administrator = role_named(f, "Administrator").await;
            e.add_administrator(hd, name, &administrator, T0).await
        }
        WritePath::ConsoleRemoveAdministrator => {
            // Whoever is not an administrator yet becomes one the help desk outranks.
            role(
                e,
                &format!("{name} console"),
                RoleAudience::Application("CONSOLE".into()),
                &[scopes::USER_LIST],
                &[name],
            )
            .await;
            e.remove_administrator(hd, target, T0).await
        }
        WritePath::ScimReplace => {
            let current = e.get_user(&f.full, target).await.unwrap();
            e.replace_user(
                hd,
                target,
                replacement(&current, None, true),
                &IfMatch::Any,
                T0,
            )
            .await
            .map(drop)
        }
        WritePath::ScimPatchPassword => e
            .modify_user(
                hd,
                target,
                &IfMatch::Any,
                |u| Ok::<_, Error>(replacement(u, Some("taken-over-1"), true)),
                T0,
            )
            .await
            .map(drop),
        WritePath::ScimPatchDeactivate => e
            .modify_user(
                hd,
                target,
                &IfMatch::Any,
                |u| Ok::<_, Error>(replacement(u, None, false)),
                T0,
            )
            .await
            .map(drop),
        WritePath::ScimDelete => e.delete_user_matching(hd, target, &IfMatch::Any, T0).await,
        WritePath::SelfProfileOnBehalf => {
            let me = on_behalf(e, hd.principal().user_id(), name).await;
            // The names only: the email address is never changed on someone's behalf.
            let names = ProfileChanges {
                email: format!("{name}@example.com"),
                ..changes
            };
            e.update_my_profile(&me, names, T0).await.map(drop)
        }
    }
}

#[tokio::test]
async fn every_write_path_on_users_is_bounded_by_the_ceiling() {
    let f = fixture().await;
    for (i, path) in PATHS.iter().enumerate() {
        // Above the help desk: holds the Impersonator role it lacks.
        let boss = format!("boss{i}");
        let boss_id = f
            .engine
            .create_user(&f.full, new_user(&boss), T0)
            .await
            .unwrap()
            .id;
        make_boss(&f.engine, &boss).await;
        match run(&f, *path, &boss, &boss_id).await {
            Err(Error::AboveCeiling) => {}
            other => panic!("{path:?} on someone above the actor: {other:?}"),
        }
        if matches!(path, WritePath::ConsoleActivate) {
            // The full administrator locked them to set the case up; undo it to look below.
            f.engine
                .set_user_status(&f.full, &boss_id, UserStatus::Active, T0)
                .await
                .unwrap();
        }
        // Nothing changed: the boss still signs in with their own password and is active.
        sign_in(&f.engine, &boss, &format!("{boss}-password"))
            .await
            .unwrap_or_else(|e| panic!("{path:?} changed the boss: {e:?}"));

        // Within the help desk's reach: holds nothing.
        let plain = format!("plain{i}");
        let plain_id = f
            .engine
            .create_user(&f.full, new_user(&plain), T0)
            .await
            .unwrap()
            .id;
        run(&f, *path, &plain, &plain_id)
            .await
            .unwrap_or_else(|e| panic!("{path:?} on someone below the actor: {e:?}"));
    }
}

#[tokio::test]
async fn creating_users_and_acting_on_oneself_pass_the_ceiling() {
    let f = fixture().await;
    // A new user holds nothing: creation (Console or SCIM) is within anyone's ceiling.
    f.engine
        .create_user(&f.helpdesk, new_user("fresh"), T0)
        .await
        .unwrap();
    f.engine
        .provision_user(
            &f.helpdesk,
            ProvisionedUser {
                username: "provisioned".into(),
                email: "p@example.com".into(),
                given_name: "P".into(),
                family_name: "Q".into(),
                country: String::new(),
                address_primary: true,
                active: true,
                external_id: None,
                password: None,
            },
            T0,
        )
        .await
        .unwrap();
    // The first administrator, above everyone, changes their own profile and password.
    let me = sign_in(&f.engine, ADMIN, ADMIN_PASSWORD).await.unwrap();
    let changes = ProfileChanges {
        email: "admin@example.com".into(),
        given_name: "Ada".into(),
        family_name: "Min".into(),
        country: String::new(),
    };
    f.engine
        .update_my_profile(&me.principal, changes, T0)
        .await
        .unwrap();
    f.engine
        .change_my_password(&me.principal, ADMIN_PASSWORD, "another-password-1", T0)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_ceiling_compares_audiences_and_ignores_business_scopes() {
    let f = fixture().await;
    let e = &f.engine;
    let helpdesk = f.helpdesk.principal().clone();
    // Equal privilege: administrators with the same roles may act on one another.
    let peer = e.create_user(&f.full, new_user("peer"), T0).await.unwrap();
    role(
        e,
        "peer console",
        RoleAudience::Application("CONSOLE".into()),
        scopes::CONSOLE_ADMINISTRATOR,
        &["peer"],
    )
    .await;
    e.can_act_on(&helpdesk, &peer.id, Operation::Credentials)
        .await
        .unwrap();
    // A scope held for one business application is held for that application only.
    let scim = e.create_user(&f.full, new_user("scim"), T0).await.unwrap();
    role(
        e,
        "scim provisioning",
        RoleAudience::Application(f.app.client_id.clone()),
        &[scopes::USER_UPDATE],
        &["scim"],
    )
    .await;
    let scim_principal = sign_in(e, "scim", "scim-password").await.unwrap().principal;
    assert!(matches!(
        e.can_act_on(&scim_principal, &peer.id, Operation::Credentials)
            .await,
        Err(Error::AboveCeiling)
    ));
    // The help desk holds it for the Console, its home: that covers every application.
    e.can_act_on(&helpdesk, &scim.id, Operation::Credentials)
        .await
        .unwrap();
    // Nobody becomes themself.
    assert!(matches!(
        e.can_act_on(&helpdesk, helpdesk.user_id(), Operation::Impersonate)
            .await,
        Err(Error::Refused(_))
    ));
    // The first administrator is above the help desk (Impersonator), so becoming them is refused.
    let root = e
        .find_users(
            &f.full,
            &engine::provisioning::UserFilter::UserName(ADMIN.into()),
            1,
            1,
        )
        .await
        .unwrap()
        .0
        .remove(0);
    assert!(matches!(
        e.can_act_on(&helpdesk, &root.id, Operation::Impersonate)
            .await,
        Err(Error::AboveCeiling)
    ));
}

#[tokio::test]
async fn a_change_made_on_someones_behalf_records_who_really_acted() {
    let f = fixture().await;
    f.engine
        .create_user(&f.full, new_user("olga"), T0)
        .await
        .unwrap();
    let helpdesk = f.helpdesk.principal().user_id().clone();
    let me = on_behalf(&f.engine, &helpdesk, "olga").await;
    let changes = ProfileChanges {
        email: "olga@example.com".into(),
        given_name: "Olga".into(),
        family_name: "Changed".into(),
        country: String::new(),
    };
    f.engine.update_my_profile(&me, changes, T0).await.unwrap();
    let (initiator, impersonator): (String, Option<String>) = sqlx::query_as(
        "SELECT initiator, impersonator FROM audit_events WHERE action = 'Set-User-Claim-Values'",
    )
    .fetch_one(f.engine.db().pool())
    .await
    .unwrap();
    assert_eq!(initiator, me.user_id().as_str());
    assert_eq!(impersonator.as_deref(), Some(helpdesk.as_str()));
}
