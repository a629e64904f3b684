//! The guide's "Impersonate users in an organization": an organization's own user, made its
//! Administrator and Impersonator by a root administrator switched in, impersonates another of its
//! users through My Account shared with it, or a business application through the API; and the
//! guide's two limitations.

use crate::harness::*;
use crate::impersonation_api::{exchange, subject_request};
use crate::impersonation_fixture::*;
use crate::oauth::{claims, code_request, query_param};
use crate::organization_fixture::*;
use engine::access::MY_ACCOUNT_APP;
use engine::ceiling::impersonation::Refusal;
use engine::oauth::authorize::AuthorizeStep;

#[tokio::test]
async fn an_organization_administrator_impersonates_its_users_through_shared_my_account() {
    let o = org().await;
    o.make_mia_impersonator().await;
    let (mia_token, mia) = o.mia_console().await;
    // My Account is not shared with Sales yet: the guide's Step 1 comes first.
    let e =
        o.s.engine
            .impersonate_from_console(
                &mia,
                &o.carl,
                &engine::impersonation::Justification::default(),
                T0,
            )
            .await
            .unwrap_err();
    assert_eq!(refusal(e), Refusal::NotShared);
    o.share_my_account().await;
    o.s.engine
        .impersonate_from_console(
            &mia,
            &o.carl,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap();
    let carl = o.s.engine.authenticate(&mia_token, T0).await.unwrap();
    assert_eq!(carl.user_id(), &o.carl);
    assert_eq!(carl.actor(), Some(&o.mia));
    assert_eq!(carl.org_id(), &o.sales);
    o.s.engine
        .sign_into_portal(&carl, MY_ACCOUNT_APP, T0)
        .await
        .unwrap();

    // A business application shared with Sales, authorized for Organization User Impersonation,
    // and a Sales role of it granting that scope to Mia: My Account offers it, and the sign-in
    // goes through as Carl.
    assert!(o
        .s
        .engine
        .launchable_applications(&carl)
        .await
        .unwrap()
        .is_empty());
    o.open_shop_to_sales().await;
    let app = &o.s.app;
    let offered: Vec<String> =
        o.s.engine
            .launchable_applications(&carl)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect();
    assert_eq!(offered, vec![app.name.clone()]);
    match authorize_step(&o.s.engine, &code_request(app), &carl, T0).await {
        AuthorizeStep::Redirect(url) => assert!(query_param(&url, "code").is_some(), "{url}"),
        other => panic!("expected a code, got {other:?}"),
    }
}

#[tokio::test]
async fn invited_parent_users_neither_impersonate_nor_are_impersonated_in_an_organization() {
    let o = org().await;
    o.make_mia_impersonator().await;
    o.share_my_account().await;
    // The root administrator holds the Impersonator role at home, but is not Sales' own user.
    let e =
        o.s.engine
            .impersonate_from_console(
                &o.in_sales,
                &o.carl,
                &engine::impersonation::Justification::default(),
                T0,
            )
            .await
            .unwrap_err();
    assert_eq!(refusal(e), Refusal::InvitedImpersonator);
    // Nor is Olga, invited from the root and given Sales' Impersonator role.
    o.s.engine
        .invite_parent_user(&o.s.admin, &o.sales, "olga", T0)
        .await
        .unwrap();
    let impersonator = o.system_role("Impersonator").await;
    o.s.engine
        .set_role_users(
            &o.in_sales,
            &impersonator,
            vec!["mia".into(), "olga".into()],
            T0,
        )
        .await
        .unwrap();
    let mut conn_check =
        o.s.engine
            .may_impersonate_from_console(&o.in_sales, &o.carl, T0)
            .await;
    assert_eq!(
        refusal(conn_check.unwrap_err()),
        Refusal::InvitedImpersonator
    );
    // An organization user cannot impersonate the invited parent user either.
    let (_, mia) = o.mia_console().await;
    conn_check =
        o.s.engine
            .may_impersonate_from_console(&mia, &o.s.olga, T0)
            .await;
    let r = refusal(conn_check.unwrap_err());
    assert_eq!(r, Refusal::InvitedSubject);
    assert!(r.message().contains("invited from a parent organization"));
    // Nor a user of another organization (the root's administrator).
    let admin_id = o.s.admin.principal().user_id().clone();
    let e =
        o.s.engine
            .may_impersonate_from_console(&mia, &admin_id, T0)
            .await
            .unwrap_err();
    assert_eq!(refusal(e), Refusal::OtherOrganization);
    // Sales' own users are fine.
    o.s.engine
        .may_impersonate_from_console(&mia, &o.carl, T0)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_business_application_impersonates_an_organization_user_through_the_api() {
    let o = org().await;
    o.make_mia_impersonator().await;
    o.open_shop_to_sales().await;
    let (mia_token, _) = o.mia_console().await;
    let mia = o.s.engine.authenticate(&mia_token, T0).await.unwrap();
    // The contract's organization scope in the request.
    let mut request = subject_request(&o.s.app, &o.carl);
    request.scope = Some("openid internal_org_user_impersonate internal_login".into());
    let location = match authorize_step(&o.s.engine, &request, &mia, T0).await {
        AuthorizeStep::Redirect(location) => location,
        other => panic!("expected a redirect, got {other:?}"),
    };
    let subject_token = fragment_param(&location, "subject_token").expect("a subject token");
    let actor_token = fragment_param(&location, "id_token").expect("an id token");
    let answer =
        o.s.engine
            .token(&o.s.app, &exchange(&subject_token, &actor_token), T0)
            .await
            .unwrap();
    let c = claims(&answer.access_token);
    assert_eq!(c["sub"], o.carl.as_str());
    assert_eq!(c["act"]["sub"], o.mia.as_str());
    assert_eq!(c["org_id"], o.sales.as_str());
    assert_eq!(c["org_name"], "Sales");

    // The root's administrator signs in at the root: Sales' users are not theirs to impersonate.
    let admin = o.s.session(T0).await;
    let location = match authorize_step(&o.s.engine, &request, &admin, T0).await {
        AuthorizeStep::Redirect(location) => location,
        other => panic!("expected a redirect, got {other:?}"),
    };
    assert_eq!(
        fragment_param(&location, "error").as_deref(),
        Some("access_denied"),
        "{location}"
    );
    let description = fragment_param(&location, "error_description").unwrap();
    assert_eq!(description, Refusal::OtherOrganization.message());
}
