//! An organization's own world: its Administrator and Impersonator roles, its users signing in by
//! its handle, the applications shared with it, and its Logs.

use crate::harness::*;
use crate::impersonation_fixture::*;
use crate::oauth::{code_request, query_param};
use crate::organization_fixture::*;
use crate::organizations::{child, organization_names, usernames};
use engine::access::{scopes, MY_ACCOUNT_APP};
use engine::audit::query::LogFilter;
use engine::oauth::authorize::AuthorizeStep;
use engine::sessions::SignIn;
use engine::{ConsoleAdmin, Error};

#[tokio::test]
async fn a_child_organization_has_its_own_administrator_and_impersonator_roles() {
    let o = org().await;
    let impersonator = o.system_role("Impersonator").await;
    let detail = o.s.engine.role(&o.in_sales, &impersonator).await.unwrap();
    let permissions: Vec<&str> = detail
        .permissions
        .iter()
        .map(|p| p.scope.as_str())
        .collect();
    // An organization's impersonators hold the organization scope of the contract.
    assert_eq!(permissions, vec![scopes::ORG_USER_IMPERSONATE]);
    assert_eq!(
        detail
            .summary
            .application
            .as_ref()
            .map(|(_, name)| name.as_str()),
        Some("My Account")
    );
    // The root administrator, switched in, makes the organization's users its administrators.
    o.make_mia_impersonator().await;
    let (_, mia) = o.mia_console().await;
    assert_eq!(mia.org(), &o.sales);
    assert!(!mia.switched());
    assert!(mia.has(engine::access::Permission::UserView));
    // Mia's Console is Sales': she sees its users, never the root's.
    assert_eq!(usernames(&o.s.engine, &mia).await, vec!["carl", "mia"]);
    assert!(o.s.engine.get_user(&mia, &o.s.olga).await.is_err());
    // Nor does she reach up or sideways: the tree she manages starts at Sales.
    let root = o.s.admin.org().clone();
    let sibling = child(&o.s, None, "Support", "support").await;
    assert_eq!(organization_names(&o.s.engine, &mia).await, vec!["Sales"]);
    for elsewhere in [&root, &sibling] {
        assert!(o
            .s
            .engine
            .switch_console_organization(&mia, elsewhere, T0)
            .await
            .is_err());
        assert!(o
            .s
            .engine
            .set_organization_active(&mia, elsewhere, false, T0)
            .await
            .is_err());
    }
}

#[tokio::test]
async fn users_sign_in_to_their_own_organization_by_its_handle() {
    let o = org().await;
    let attempt = |organization: Option<&'static str>| SignIn {
        organization,
        username: "carl",
        password: "carl-password",
        client_addr: "192.0.2.9",
        previous_token: None,
        answering: None,
        application: None,
        request: None,
    };
    let at_root =
        o.s.engine
            .sign_in(attempt(None), T0)
            .await
            .and_then(engine::sessions::SignInStep::session)
            .unwrap_err();
    assert!(matches!(at_root, Error::InvalidCredentials), "{at_root:?}");
    let unknown =
        o.s.engine
            .sign_in(attempt(Some("nope")), T0)
            .await
            .and_then(engine::sessions::SignInStep::session)
            .unwrap_err();
    assert_eq!(field_errors(unknown)[0].0, "organization");
    let session =
        o.s.engine
            .sign_in(attempt(Some(" Sales ")), T0)
            .await
            .and_then(engine::sessions::SignInStep::session)
            .unwrap();
    assert_eq!(session.principal.org_id(), &o.sales);
    // A deactivated organization: no new sign-in, and its live sessions end.
    o.s.engine
        .set_organization_active(&o.s.admin, &o.sales, false, T0)
        .await
        .unwrap();
    let e =
        o.s.engine
            .sign_in(attempt(Some("sales")), T0)
            .await
            .and_then(engine::sessions::SignInStep::session)
            .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "organization");
    assert!(matches!(
        o.s.engine.authenticate(session.token.expose(), T0).await,
        Err(Error::Unauthenticated)
    ));
}

#[tokio::test]
async fn an_organization_user_signs_into_only_applications_shared_with_it() {
    let o = org().await;
    let session =
        o.s.engine
            .sign_in(
                SignIn {
                    organization: Some("sales"),
                    username: "carl",
                    password: "carl-password",
                    client_addr: "192.0.2.9",
                    previous_token: None,
                    answering: None,
                    application: None,
                    request: None,
                },
                T0,
            )
            .await
            .and_then(engine::sessions::SignInStep::session)
            .unwrap();
    let step = authorize_step(&o.s.engine, &code_request(&o.s.app), &session.principal, T0).await;
    match step {
        AuthorizeStep::Redirect(url) => {
            assert_eq!(
                query_param(&url, "error").as_deref(),
                Some("access_denied"),
                "{url}"
            )
        }
        other => panic!("expected access_denied, got {other:?}"),
    }
    // Nor My Account, until it is shared.
    assert!(o
        .s
        .engine
        .sign_into_portal(&session.principal, MY_ACCOUNT_APP, T0)
        .await
        .is_err());
    o.share_my_account().await;
    o.s.engine
        .sign_into_portal(&session.principal, MY_ACCOUNT_APP, T0)
        .await
        .unwrap();
}

#[tokio::test]
async fn each_organization_sees_its_own_audit_events_and_those_below() {
    let o = org().await;
    o.make_mia_impersonator().await;
    let (_, mia) = o.mia_console().await;
    let targets = |admin: ConsoleAdmin| {
        let engine = o.s.engine.clone();
        async move {
            engine
                .audit_log_page(&admin, &LogFilter::default(), None, 200)
                .await
                .unwrap()
                .events
                .into_iter()
                .map(|e| e.content.target)
                .collect::<Vec<String>>()
        }
    };
    // Carl was added in Sales (by the root administrator, switched in); Olga in the root.
    let in_sales = targets(mia.clone()).await;
    assert!(in_sales.contains(&o.carl.to_string()), "{in_sales:?}");
    assert!(!in_sales.contains(&o.s.olga.to_string()), "{in_sales:?}");
    let at_root = targets(o.s.admin.clone()).await;
    assert!(at_root.contains(&o.carl.to_string()));
    assert!(at_root.contains(&o.s.olga.to_string()));
    // The chain is the whole tree's: verified from the root only.
    assert!(matches!(
        o.s.engine.verify_audit_trail(&mia).await,
        Err(Error::Refused(_))
    ));
    assert!(o
        .s
        .engine
        .verify_audit_trail(&o.s.admin)
        .await
        .unwrap()
        .is_intact());
}
