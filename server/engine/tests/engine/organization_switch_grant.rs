//! The `organization_switch` grant: an impersonated token carried into a child organization the
//! user belongs to, with the user's roles there and `act` unchanged; every refusal of the contract;
//! unsharing and the end of the impersonation revoke what it issued.

use crate::access::resource_owning;
use crate::harness::*;
use crate::impersonation_fixture::*;
use crate::oauth::{claims, REDIRECT};
use crate::organizations::child;
use engine::access::scopes;
use engine::applications::{GrantType, ProtocolSettings};
use engine::oauth::token::TokenParams;
use engine::organizations::Sharing;
use engine::{OrgId, Timestamp};

/// The guide's application, also allowed the organization switch grant and authorized to list
/// users; Olga invited into `orgs`, holding a role of the application there that grants listing.
pub(crate) async fn switchable(s: &mut Setup) {
    s.engine
        .update_application_protocol(
            &s.admin,
            &s.app.id,
            ProtocolSettings {
                redirect_uris: vec![REDIRECT.into()],
                post_logout_redirect_uris: vec![],
                grant_types: vec![
                    GrantType::AuthorizationCode,
                    GrantType::RefreshToken,
                    GrantType::TokenExchange,
                    GrantType::OrganizationSwitch,
                ],
                pkce_required: false,
                access_token_lifetime: 3600,
                refresh_token_lifetime: 86400,
                id_token_lifetime: 3600,
                subject_token_enabled: true,
                subject_token_lifetime: 180,
                refresh_grace_secs: 0,
            },
            T0,
        )
        .await
        .unwrap();
    let list = resource_owning(&s.engine, &s.admin, scopes::USER_LIST).await;
    s.engine
        .authorize_api_resource(
            &s.admin,
            &s.app.id,
            &list,
            vec![scopes::USER_LIST.into()],
            T0,
        )
        .await
        .unwrap();
    s.app = s.engine.application(&s.app.id).await.unwrap();
}

/// A role of the shop in `org` (shared with it) granting `scope` to Olga, invited there.
async fn role_in(s: &Setup, org: &OrgId, scope: &str) {
    s.engine
        .create_role(
            "test",
            org,
            engine::roles::NewRole {
                name: "Shop users".into(),
                audience: engine::roles::RoleAudience::Application(s.app.client_id.clone()),
                permissions: vec![scope.into()],
                assign: vec!["olga".into()],
            },
            T0,
        )
        .await
        .unwrap();
}

/// The impersonated access token of the guide's API flow (subject token, then the exchange).
async fn impersonated_token(s: &Setup) -> String {
    exchanged_token(s).await.expect("the exchange")
}

pub(crate) fn switch(token: &str, org: &str, scope: &str) -> TokenParams {
    TokenParams {
        grant_type: Some("organization_switch".into()),
        token: Some(token.into()),
        switching_organization: Some(org.into()),
        scope: Some(scope.into()),
        ..TokenParams::default()
    }
}

async fn refusal(s: &Setup, params: &TokenParams) -> (String, String) {
    let e = s.engine.token(&s.app, params, T0).await.unwrap_err();
    (e.code.as_str().to_owned(), e.description.clone())
}

#[tokio::test]
async fn an_impersonated_token_switches_into_a_child_organization_the_user_belongs_to() {
    let mut s = setup().await;
    switchable(&mut s).await;
    let root = s.admin.principal().org_id().clone();
    let sales = child(&s, None, "Sales", "sales").await;
    let eu = child(&s, Some(&sales), "Sales EU", "sales-eu").await;
    let support = child(&s, None, "Support", "support").await;
    let elsewhere = child(&s, None, "Elsewhere", "elsewhere").await;
    s.engine
        .share_application(
            &s.admin,
            &s.app.id,
            Sharing::Selected(vec![sales.clone(), eu.clone(), support.clone()]),
            T0,
        )
        .await
        .unwrap();
    for org in [&sales, &eu] {
        s.engine
            .invite_parent_user(&s.admin, org, "olga", T0)
            .await
            .unwrap();
    }
    role_in(&s, &sales, scopes::USER_LIST).await;
    let token = impersonated_token(&s).await;
    let admin_id = s.admin.principal().user_id().as_str().to_owned();

    // Into Sales: Olga, in Sales, with her Sales role's scope; act unchanged.
    let answer = s
        .engine
        .token(
            &s.app,
            &switch(
                &token,
                sales.as_str(),
                "openid internal_login internal_user_mgt_list internal_user_impersonate",
            ),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(answer.token_type, "Bearer");
    assert_eq!(answer.expires_in, 3600);
    assert!(
        answer.refresh_token.is_none()
            && answer.id_token.is_none()
            && answer.issued_token_type.is_none()
    );
    assert_eq!(answer.scope, "internal_login internal_user_mgt_list openid");
    let c = claims(&answer.access_token);
    assert_eq!(c["sub"], s.olga.as_str());
    assert_eq!(c["act"]["sub"], admin_id.as_str());
    assert_eq!(c["org_id"], sales.as_str());
    assert_eq!(c["org_name"], "Sales");
    assert_eq!(c["user_org"], root.as_str());
    let sales_token = answer.access_token;

    // Errors, in the contract's words.
    let contract = |m: &str| ("invalid_grant".to_owned(), m.to_owned());
    assert_eq!(
        refusal(&s, &switch(&token, "not-an-id", "openid")).await,
        contract("Invalid organization id")
    );
    assert_eq!(
        refusal(&s, &switch(&token, OrgId::generate().as_str(), "openid")).await,
        contract("Invalid organization id")
    );
    assert_eq!(
        refusal(&s, &switch("garbage", sales.as_str(), "openid")).await,
        contract("Invalid token received.")
    );
    // Olga is no member of Support (shared, but she was not invited).
    assert_eq!(
        refusal(&s, &switch(&token, support.as_str(), "openid")).await,
        contract("The user is not a member of the switching organization.")
    );
    // The application is not shared with Elsewhere.
    s.engine
        .invite_parent_user(&s.admin, &elsewhere, "olga", T0)
        .await
        .unwrap();
    assert_eq!(
        refusal(&s, &switch(&token, elsewhere.as_str(), "openid")).await,
        contract("The application is not shared with the switching organization.")
    );
    // From Sales, a sibling branch or the parent is out of reach.
    for org in [&support, &root] {
        assert_eq!(
            refusal(&s, &switch(&sales_token, org.as_str(), "openid")).await,
            contract(
                "Organization switch is only allowed for the organizations in the same branch."
            )
        );
    }
    // From Sales further down, to Sales EU: allowed.
    s.engine
        .token(&s.app, &switch(&sales_token, eu.as_str(), "openid"), T0)
        .await
        .unwrap();
    // A deactivated organization.
    s.engine
        .set_organization_active(&s.admin, &eu, false, T0)
        .await
        .unwrap();
    assert_eq!(
        refusal(&s, &switch(&token, eu.as_str(), "openid")).await,
        contract("The switching organization is in deactivated state.")
    );

    // Unsharing Sales revokes what was issued there and refuses the next switch.
    assert!(s.engine.authenticate_bearer(&sales_token, T0).await.is_ok());
    s.engine
        .share_application(
            &s.admin,
            &s.app.id,
            Sharing::Selected(vec![support.clone()]),
            T0,
        )
        .await
        .unwrap();
    assert!(s
        .engine
        .authenticate_bearer(&sales_token, T0)
        .await
        .is_err());
    assert_eq!(
        refusal(&s, &switch(&token, sales.as_str(), "openid")).await,
        contract("The application is not shared with the switching organization.")
    );
    // "Share with all organizations" reaches organizations created later.
    s.engine
        .share_application(&s.admin, &s.app.id, Sharing::All, T0)
        .await
        .unwrap();
    let later = child(&s, None, "Later", "later").await;
    s.engine
        .invite_parent_user(&s.admin, &later, "olga", T0)
        .await
        .unwrap();
    s.engine
        .token(&s.app, &switch(&token, later.as_str(), "openid"), T0)
        .await
        .unwrap();
}

#[tokio::test]
async fn ending_the_impersonation_revokes_its_organization_tokens() {
    let mut s = setup().await;
    switchable(&mut s).await;
    let sales = child(&s, None, "Sales", "sales").await;
    s.engine
        .share_application(&s.admin, &s.app.id, Sharing::All, T0)
        .await
        .unwrap();
    s.engine
        .invite_parent_user(&s.admin, &sales, "olga", T0)
        .await
        .unwrap();
    let token = impersonated_token(&s).await;
    let switched = s
        .engine
        .token(&s.app, &switch(&token, sales.as_str(), "openid"), T0)
        .await
        .unwrap();
    let olga = s.session(T0).await;
    s.engine
        .stop_impersonating(&olga, Timestamp(T0.0 + 1))
        .await
        .unwrap();
    assert!(s
        .engine
        .authenticate_bearer(&switched.access_token, Timestamp(T0.0 + 2))
        .await
        .is_err());
}
