//! What the organization tests share: Sales, below the root, with its users Mia (to be its
//! administrator and impersonator) and Carl, the root administrator's Console switched into it, and
//! the guide's steps for an organization as helpers.

use crate::access::resource_owning;
use crate::harness::*;
use crate::impersonation_fixture::*;
use crate::organizations::child;
use engine::access::{scopes, CONSOLE_APP, MY_ACCOUNT_APP};
use engine::applications::GeneralSettings;
use engine::ceiling::impersonation::Refusal;
use engine::organizations::Sharing;
use engine::roles::{NewRole, RoleAudience, RoleFilter};
use engine::sessions::SignIn;
use engine::{ConsoleAdmin, Error, OrgId, PageRequest, RoleId, UserId};

/// Sales, below the root: its users Mia (to be its administrator and impersonator) and Carl, the
/// root administrator's Console switched into it.
pub struct Org {
    pub s: Setup,
    pub sales: OrgId,
    pub in_sales: ConsoleAdmin,
    pub mia: UserId,
    pub carl: UserId,
}

pub async fn org() -> Org {
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
    pub async fn system_role(&self, name: &str) -> RoleId {
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

    pub async fn share_my_account(&self) {
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
    pub async fn make_mia_impersonator(&self) {
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
    pub async fn open_shop_to_sales(&self) {
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
    pub async fn mia_console(&self) -> (String, ConsoleAdmin) {
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
                    application: None,
                    request: None,
                },
                T0,
            )
            .await
            .and_then(engine::sessions::SignInStep::session)
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

pub fn refusal(e: Error) -> Refusal {
    match e {
        Error::ImpersonationRefused(r) => r,
        other => panic!("expected an impersonation refusal, got {other:?}"),
    }
}
