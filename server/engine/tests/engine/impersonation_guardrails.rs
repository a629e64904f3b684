//! The guardrails: whom nobody impersonates, where an impersonator may not go, and what they may
//! not do as the user. Each refused server-side, with the reason a person can act on.

use crate::access::{limited_admin, role, user, IMPERSONATE};
use crate::harness::*;
use crate::impersonation_fixture::*;
use crate::oauth::code_request;
use engine::access::scopes;
use engine::ceiling::impersonation::Refusal;
use engine::oauth::authorize::AuthorizeStep;
use engine::roles::RoleAudience;
use engine::users::{ProfileChanges, UserStatus};
use engine::Error;

fn refusal(e: Error) -> Refusal {
    match e {
        Error::ImpersonationRefused(r) => r,
        other => panic!("expected an impersonation refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn nobody_impersonates_themself_an_administrator_an_impersonator_or_an_inactive_user() {
    let s = setup().await;
    let me = s.admin.principal().user_id().clone();
    let may = |target| {
        let engine = s.engine.clone();
        let admin = s.admin.clone();
        async move {
            engine
                .may_impersonate_from_console(&admin, &target, T0)
                .await
        }
    };
    assert_eq!(
        refusal(may(me.clone()).await.unwrap_err()),
        Refusal::Yourself
    );

    // Another administrator (an organization role with a Console scope is one, see
    // hidden_administrators.rs), and a holder of an impersonation role.
    let hidden = user(&s.engine, "hilda").await;
    role(
        &s.engine,
        "Helpdesk",
        RoleAudience::Organization,
        &[scopes::USER_LIST],
        &["hilda"],
    )
    .await;
    let impersonator = user(&s.engine, "ivan").await;
    role(
        &s.engine,
        "Other shop impersonation",
        RoleAudience::Application(s.app.client_id.clone()),
        &[IMPERSONATE],
        &["ivan"],
    )
    .await;
    for privileged in [hidden, impersonator] {
        assert_eq!(
            refusal(may(privileged).await.unwrap_err()),
            Refusal::Privileged
        );
    }
    // The Console's own Administrator role (the first administrator holds it).
    let admins = user(&s.engine, "ada").await;
    let administrator_role: String =
        sqlx::query_scalar("SELECT id FROM roles WHERE system_key = 'console_administrator'")
            .fetch_one(s.engine.db().pool())
            .await
            .unwrap();
    sqlx::query("INSERT INTO role_assignments (role_id, user_id) VALUES ($1, $2)")
        .bind(&administrator_role)
        .bind(admins.as_str())
        .execute(s.engine.db().pool())
        .await
        .unwrap();
    assert_eq!(refusal(may(admins).await.unwrap_err()), Refusal::Privileged);

    // Locked and disabled users: the contract's words.
    for status in [UserStatus::Locked, UserStatus::Disabled] {
        let name = format!("u{}", uuid::Uuid::new_v4().simple());
        let id = user(&s.engine, &name).await;
        s.engine
            .set_user_status(&s.admin, &id, status, T0)
            .await
            .unwrap();
        let r = refusal(may(id).await.unwrap_err());
        assert_eq!(r, Refusal::Inactive);
        assert_eq!(r.message(), "Cannot impersonate an inactive user account");
        assert_eq!(r.oauth_error().code, "access_denied");
    }

    // An unknown id is no user of this organization.
    let stranger = engine::UserId::parse(&uuid::Uuid::new_v4().to_string()).unwrap();
    assert_eq!(
        refusal(may(stranger).await.unwrap_err()),
        Refusal::OtherOrganization
    );
    // Olga is fine.
    may(s.olga.clone()).await.unwrap();
}

#[tokio::test]
async fn without_the_impersonator_role_or_with_my_account_disabled_the_console_cannot_impersonate()
{
    let s = setup().await;
    // An administrator who can view users but does not hold the Impersonator role.
    let viewer = limited_admin(&s.engine, "vera", &[scopes::USER_LIST, scopes::USER_VIEW]).await;
    let e = s
        .engine
        .impersonate_from_console(
            &viewer,
            &s.olga,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::NotPermittedHere);

    s.engine
        .set_my_account_enabled(&s.admin, false, T0)
        .await
        .unwrap();
    assert!(!s.engine.my_account_enabled().await.unwrap());
    let e = s
        .engine
        .may_impersonate_from_console(&s.admin, &s.olga, T0)
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::MyAccountDisabled);
    let e = s
        .engine
        .impersonate_from_console(
            &s.admin,
            &s.olga,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::MyAccountDisabled);
    // Nobody signs into a disabled My Account.
    let olga = sign_in(&s.engine, "olga", "olga-password").await.unwrap();
    let e = s
        .engine
        .sign_into_portal(&olga.principal, engine::access::MY_ACCOUNT_APP, T0)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Refused(_)), "{e:?}");

    s.engine
        .set_my_account_enabled(&s.admin, true, T0)
        .await
        .unwrap();
    s.engine
        .impersonate_from_console(
            &s.admin,
            &s.olga,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn an_impersonation_enters_only_applications_the_impersonator_may_impersonate_in() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    // The same kind of application, but the administrator holds no impersonation role for it.
    let elsewhere = impersonation_app(&s.engine, &s.admin, true).await;
    let step = authorize_step(&s.engine, &code_request(&elsewhere), &olga, T0).await;
    let AuthorizeStep::Refused(why) = step else {
        panic!("expected a refusal page, got {step:?}")
    };
    assert_eq!(why, Refusal::NotPermittedHere.message());
    // The attempt is on the record, with the application it aimed at.
    let refused: Vec<String> = sqlx::query_scalar(
        "SELECT data FROM audit_events WHERE action = 'Impersonation-Refused' AND target = $1",
    )
    .bind(s.olga.as_str())
    .fetch_all(s.engine.db().pool())
    .await
    .unwrap();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].contains(&elsewhere.client_id), "{}", refused[0]);
    // Not the Console either: administering is never done as someone else.
    let e = s
        .engine
        .sign_into_portal(&olga, engine::access::CONSOLE_APP, T0)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::ImpersonationRefused(Refusal::ConsoleWhileImpersonating)
        ),
        "{e:?}"
    );
    // And every Console call of that session says the same (the Console tab left open pauses).
    let e = s.engine.console_admin(&olga).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::ImpersonationRefused(Refusal::ConsoleWhileImpersonating)
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_impersonator_never_consents_for_the_user() {
    let s = setup().await;
    let asks_consent = impersonation_app(&s.engine, &s.admin, false).await;
    role(
        &s.engine,
        "Consenting shop impersonation",
        RoleAudience::Application(asks_consent.client_id.clone()),
        &[IMPERSONATE],
        &[ADMIN],
    )
    .await;
    let olga = s.impersonate_olga().await;
    let step = authorize_step(&s.engine, &code_request(&asks_consent), &olga, T0).await;
    let AuthorizeStep::Refused(why) = step else {
        panic!("expected a refusal page, got {step:?}")
    };
    assert_eq!(why, Refusal::ConsentOnBehalf.message());
    // Allowing on the consent form is refused the same way, and records nothing.
    let req = s
        .engine
        .validate_authorization_request(&code_request(&asks_consent))
        .await
        .unwrap();
    let step = s
        .engine
        .authorize(
            &req,
            Some(&olga),
            engine::oauth::authorize::ConsentAnswer::Allow,
            T0,
        )
        .await
        .unwrap();
    assert!(matches!(step, AuthorizeStep::Refused(_)), "{step:?}");
    assert_eq!(count(&s.engine, "SELECT COUNT(*) FROM consents").await, 0);
}

#[tokio::test]
async fn while_impersonating_the_users_password_and_email_stay_theirs() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    let e = s
        .engine
        .change_my_password(&olga, "olga-password", "a-new-password-1", T0)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotWhileImpersonating(_)), "{e:?}");
    let e = s
        .engine
        .update_my_profile(
            &olga,
            ProfileChanges {
                email: "mallory@example.com".into(),
                given_name: "Olga".into(),
                family_name: "Family".into(),
                country: String::new(),
            },
            T0,
        )
        .await
        .unwrap_err();
    // The sensitive-operation policy's refusal, shown next to the email field.
    assert!(
        matches!(e, Error::NotWhileImpersonating(change) if change.field() == Some("email")),
        "{e:?}"
    );
    // Names are the user's profile, changed for them (and audited with the impersonator).
    let changed = s
        .engine
        .update_my_profile(
            &olga,
            ProfileChanges {
                email: "olga@example.com".into(),
                given_name: "Olga".into(),
                family_name: "Family".into(),
                country: String::new(),
            },
            T0,
        )
        .await
        .unwrap();
    assert_eq!(changed.given_name, "Olga");
    let impersonator: Option<String> = sqlx::query_scalar(
        "SELECT impersonator FROM audit_events WHERE action = 'Set-User-Claim-Values' AND target = $1",
    )
    .bind(s.olga.as_str())
    .fetch_one(s.engine.db().pool())
    .await
    .unwrap();
    assert_eq!(
        impersonator.as_deref(),
        Some(s.admin.principal().user_id().as_str())
    );
}
