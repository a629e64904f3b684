//! The guide's "Impersonate users in an organization": My Account shared with a child
//! organization, the child's own Administrator and Impersonator roles assigned (by a root
//! administrator switched in), a resident user signing in to the organization and impersonating
//! another one, and the guide's two limitations.

use crate::access::resource_owning;
use crate::harness::*;
use crate::impersonation_api::{exchange, subject_request};
use crate::impersonation_fixture::*;
use crate::oauth::{claims, code_request, query_param};
use crate::organizations::child;
use engine::access::{scopes, CONSOLE_APP, MY_ACCOUNT_APP};
use engine::applications::GeneralSettings;
use engine::audit::query::LogFilter;
use engine::ceiling::impersonation::Refusal;
use engine::oauth::authorize::AuthorizeStep;
use engine::organizations::Sharing;
use engine::roles::{NewRole, RoleAudience, RoleFilter};
use engine::sessions::SignIn;
use engine::{ConsoleAdmin, Error, OrgId, PageRequest, RoleId, UserId};

/// Sales, below the root: its users Mia (to be its administrator and impersonator) and Carl, the
/// root administrator's Console switched into it.
struct Org {
    s: Setup,
    sales: OrgId,
    in_sales: ConsoleAdmin,
    mia: UserId,
    carl: UserId,
}

async fn org() -> Org {
    let s = setup().await;
    let sales = child(&s, None, "Sales", "sales").await;
    s.engine
        .switch_console_organization(&s.admin, &sales, T0)
        .await
        .unwrap();
    let in_sales = s.engine.console_admin(&s.session(T0).await).await.unwrap();
    let mia = s
        .engine
        .create_user(&in_sales, new_user("mia"), T0)
        .await
        .unwrap()
        .id;
    let carl = s
        .engine
        .create_user(&in_sales, new_user("carl"), T0)
        .await
        .unwrap()
        .id;
    Org {
        s,
        sales,
        in_sales,
        mia,
        carl,
    }
}

impl Org {
    /// One of the organization's own system roles, as User Management > Roles lists it.
    async fn system_role(&self, name: &str) -> RoleId {
        self.s
            .engine
            .list_roles(&self.in_sales, "", RoleFilter::All, PageRequest::new(1, 50))
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|r| r.system && r.name == name)
            .unwrap_or_else(|| panic!("the organization has its own {name} role"))
            .id
    }

    async fn share_my_account(&self) {
        let my_account = self
            .s
            .engine
            .system_application(MY_ACCOUNT_APP)
            .await
            .unwrap();
        self.s
            .engine
            .share_application(
                &self.s.admin,
                &my_account.id,
                Sharing::Selected(vec![self.sales.clone()]),
                T0,
            )
            .await
            .unwrap();
    }

    /// The guide's Step 2: Mia becomes an Administrator and an Impersonator of Sales.
    async fn make_mia_impersonator(&self) {
        let administrator = self.system_role("Administrator").await;
        self.s
            .engine
            .add_administrator(&self.in_sales, "mia", &administrator, T0)
            .await
            .unwrap();
        let impersonator = self.system_role("Impersonator").await;
        self.s
            .engine
            .set_role_users(&self.in_sales, &impersonator, vec!["mia".into()], T0)
            .await
            .unwrap();
    }

    /// The guide's "Share Application with Organization" and "Configure business applications for
    /// impersonation", in Sales: the shop is shared with it, authorized for Organization User
    /// Impersonation and discoverable, and a Sales role of it grants that scope to Mia.
    async fn open_shop_to_sales(&self) {
        let app = &self.s.app;
        self.s
            .engine
            .share_application(&self.s.admin, &app.id, Sharing::All, T0)
            .await
            .unwrap();
        let resource =
            resource_owning(&self.s.engine, &self.s.admin, scopes::ORG_USER_IMPERSONATE).await;
        self.s
            .engine
            .authorize_api_resource(
                &self.s.admin,
                &app.id,
                &resource,
                vec![scopes::ORG_USER_IMPERSONATE.into()],
                T0,
            )
            .await
            .unwrap();
        self.s
            .engine
            .update_application_general(
                &self.s.admin,
                &app.id,
                GeneralSettings {
                    name: app.name.clone(),
                    description: String::new(),
                    access_url: "https://shop.example/".into(),
                    discoverable: true,
                },
                T0,
            )
            .await
            .unwrap();
        self.s
            .engine
            .create_role_as(
                &self.in_sales,
                NewRole {
                    name: "Shop support".into(),
                    audience: RoleAudience::ApplicationId(app.id.clone()),
                    permissions: vec![scopes::ORG_USER_IMPERSONATE.into()],
                    assign: vec!["mia".into()],
                },
                T0,
            )
            .await
            .unwrap();
    }

    /// Mia signs in to Sales (by its handle) and opens its Console; returns the session token.
    async fn mia_console(&self) -> (String, ConsoleAdmin) {
        let session = self
            .s
            .engine
            .sign_in(
                SignIn {
                    organization: Some("sales"),
                    username: "mia",
                    password: "mia-password",
                    client_addr: "192.0.2.9",
                    previous_token: None,
                    answering: None,
                },
                T0,
            )
            .await
            .unwrap();
        self.s
            .engine
            .sign_into_portal(&session.principal, CONSOLE_APP, T0)
            .await
            .unwrap();
        let admin = self
            .s
            .engine
            .console_admin(&session.principal)
            .await
            .unwrap();
        (session.token.expose().to_owned(), admin)
    }
}

fn refusal(e: Error) -> Refusal {
    match e {
        Error::ImpersonationRefused(r) => r,
        other => panic!("expected an impersonation refusal, got {other:?}"),
    }
}

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
    assert!(mia.has(scopes::USER_VIEW));
    // Mia's Console is Sales': she sees its users, never the root's.
    let names: Vec<String> =
        o.s.engine
            .list_users(&mia, "", 1, 50)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|u| u.username)
            .collect();
    assert_eq!(names, vec!["carl", "mia"]);
    assert!(o.s.engine.get_user(&mia, &o.s.olga).await.is_err());
    // Nor does she reach up or sideways: the tree she manages starts at Sales.
    let root = o.s.admin.org().clone();
    let sibling = child(&o.s, None, "Support", "support").await;
    let names: Vec<String> =
        o.s.engine
            .organizations(&mia)
            .await
            .unwrap()
            .into_iter()
            .map(|org| org.name)
            .collect();
    assert_eq!(names, vec!["Sales"]);
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
    };
    let at_root = o.s.engine.sign_in(attempt(None), T0).await.unwrap_err();
    assert!(matches!(at_root, Error::InvalidCredentials), "{at_root:?}");
    let unknown =
        o.s.engine
            .sign_in(attempt(Some("nope")), T0)
            .await
            .unwrap_err();
    assert_eq!(field_errors(unknown)[0].0, "organization");
    let session =
        o.s.engine
            .sign_in(attempt(Some(" Sales ")), T0)
            .await
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
            .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "organization");
    assert!(matches!(
        o.s.engine.authenticate(session.token.expose(), T0).await,
        Err(Error::Unauthenticated)
    ));
}

#[tokio::test]
async fn an_organization_administrator_impersonates_its_users_through_shared_my_account() {
    let o = org().await;
    o.make_mia_impersonator().await;
    let (mia_token, mia) = o.mia_console().await;
    // My Account is not shared with Sales yet: the guide's Step 1 comes first.
    let e =
        o.s.engine
            .impersonate_from_console(&mia, &o.carl, T0)
            .await
            .unwrap_err();
    assert_eq!(refusal(e), Refusal::NotShared);
    o.share_my_account().await;
    o.s.engine
        .impersonate_from_console(&mia, &o.carl, T0)
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
            .impersonate_from_console(&o.in_sales, &o.carl, T0)
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
            .may_impersonate_from_console(&o.in_sales, &o.carl)
            .await;
    assert_eq!(
        refusal(conn_check.unwrap_err()),
        Refusal::InvitedImpersonator
    );
    // An organization user cannot impersonate the invited parent user either.
    let (_, mia) = o.mia_console().await;
    conn_check =
        o.s.engine
            .may_impersonate_from_console(&mia, &o.s.olga)
            .await;
    let r = refusal(conn_check.unwrap_err());
    assert_eq!(r, Refusal::InvitedSubject);
    assert!(r.message().contains("invited from a parent organization"));
    // Nor a user of another organization (the root's administrator).
    let admin_id = o.s.admin.principal().user_id().clone();
    let e =
        o.s.engine
            .may_impersonate_from_console(&mia, &admin_id)
            .await
            .unwrap_err();
    assert_eq!(refusal(e), Refusal::OtherOrganization);
    // Sales' own users are fine.
    o.s.engine
        .may_impersonate_from_console(&mia, &o.carl)
        .await
        .unwrap();
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
                },
                T0,
            )
            .await
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
