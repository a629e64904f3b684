//! Organizations: the tree (no reaching up or sideways), invited parent users, a child's roles for
//! shared applications, and the Console switched into a child organization. The
//! `organization_switch` grant is in `organization_switch_grant.rs`.

use crate::access::IMPERSONATE;
use crate::harness::*;
use crate::impersonation_fixture::*;
use engine::organizations::{NewOrganization, Sharing};
use engine::{ConsoleAdmin, Engine, Error, OrgId};

/// The usernames the administrator's Console lists (its organization's users).
pub(crate) async fn usernames(engine: &Engine, admin: &ConsoleAdmin) -> Vec<String> {
    engine
        .list_users(admin, "", 1, 50)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|u| u.username)
        .collect()
}

/// The names of the organizations the administrator's Console manages, as the tree lists them.
pub(crate) async fn organization_names(engine: &Engine, admin: &ConsoleAdmin) -> Vec<String> {
    engine
        .organizations(admin)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect()
}

pub(crate) async fn child(s: &Setup, parent: Option<&OrgId>, name: &str, handle: &str) -> OrgId {
    s.engine
        .create_organization(
            &s.admin,
            NewOrganization {
                parent: parent.cloned(),
                name: name.into(),
                handle: handle.into(),
            },
            T0,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn organizations_form_a_tree_below_the_administrators_own() {
    let s = setup().await;
    let sales = child(&s, None, "Sales", "sales").await;
    let eu = child(&s, Some(&sales), "Sales EU", "sales-eu").await;
    let listed = s.engine.organizations(&s.admin).await.unwrap();
    let depths: Vec<(&str, i64)> = listed.iter().map(|o| (o.name.as_str(), o.depth)).collect();
    assert_eq!(depths, vec![("Root", 0), ("Sales", 1), ("Sales EU", 2)]);
    assert_eq!(listed[2].parent_id.as_ref(), Some(&sales));

    // Handles are unique and URL-safe; names are required.
    let e = s
        .engine
        .create_organization(
            &s.admin,
            NewOrganization {
                parent: None,
                name: "Again".into(),
                handle: "sales".into(),
            },
            T0,
        )
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "handle");
    let e = s
        .engine
        .create_organization(
            &s.admin,
            NewOrganization {
                parent: None,
                name: " ".into(),
                handle: "Bad Handle".into(),
            },
            T0,
        )
        .await
        .unwrap_err();
    let fields: Vec<&str> = field_errors(e).iter().map(|f| f.0).collect();
    assert_eq!(fields, vec!["name", "handle"]);
    // Under an organization that does not exist (or is not below ours): not found.
    let e = s
        .engine
        .create_organization(
            &s.admin,
            NewOrganization {
                parent: Some(OrgId::generate()),
                name: "X".into(),
                handle: "x-x".into(),
            },
            T0,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");

    s.engine
        .rename_organization(&s.admin, &eu, "Europe", T0)
        .await
        .unwrap();
    // Only an empty organization can be deleted; one's own is not managed here.
    assert!(matches!(
        s.engine
            .delete_organization(&s.admin, &sales, T0)
            .await
            .unwrap_err(),
        Error::Refused(_)
    ));
    let root = s.admin.principal().org_id().clone();
    assert!(matches!(
        s.engine
            .delete_organization(&s.admin, &root, T0)
            .await
            .unwrap_err(),
        Error::Refused(_)
    ));
    s.engine
        .delete_organization(&s.admin, &eu, T0)
        .await
        .unwrap();
    assert_eq!(s.engine.organizations(&s.admin).await.unwrap().len(), 2);
    assert_eq!(
        count(
            &s.engine,
            "SELECT COUNT(*) FROM audit_events WHERE action LIKE '%-Organization'"
        )
        .await,
        4
    );
}

#[tokio::test]
async fn only_users_of_an_organization_above_can_be_invited() {
    let s = setup().await;
    let sales = child(&s, None, "Sales", "sales").await;
    let e = s
        .engine
        .invite_parent_user(&s.admin, &sales, "nobody", T0)
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "username");
    // The impersonation scope is the organizations' too.
    assert!(engine::access::scopes::IMPERSONATOR.contains(&IMPERSONATE));
}

#[tokio::test]
async fn a_childs_roles_are_for_applications_shared_with_it_and_its_members() {
    let s = setup().await;
    let sales = child(&s, None, "Sales", "sales").await;
    let role = |assign: &str| engine::roles::NewRole {
        name: "Shop users".into(),
        audience: engine::roles::RoleAudience::Application(s.app.client_id.clone()),
        permissions: vec![IMPERSONATE.into()],
        assign: vec![assign.into()],
    };
    // Not shared with Sales yet, and Olga not invited: both refused.
    let e = s
        .engine
        .create_role("test", &sales, role("olga"), T0)
        .await
        .unwrap_err();
    let fields: Vec<&str> = field_errors(e).iter().map(|f| f.0).collect();
    assert_eq!(fields, vec!["audience", "assign"]);
    s.engine
        .share_application(&s.admin, &s.app.id, Sharing::All, T0)
        .await
        .unwrap();
    s.engine
        .invite_parent_user(&s.admin, &sales, "olga", T0)
        .await
        .unwrap();
    s.engine
        .create_role("test", &sales, role("olga"), T0)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_console_switches_into_a_child_organization_and_back() {
    let s = setup().await;
    let root = s.admin.principal().org_id().clone();
    let sales = child(&s, None, "Sales", "sales").await;
    let eu = child(&s, Some(&sales), "Sales EU", "sales-eu").await;
    s.engine
        .switch_console_organization(&s.admin, &sales, T0)
        .await
        .unwrap();
    let principal = s.session(T0).await;
    let in_sales = s.engine.console_admin(&principal).await.unwrap();
    assert!(in_sales.switched());
    assert_eq!(in_sales.org(), &sales);
    // Everything is the child's: its users (a user added now is resident there), its subtree.
    let carol = s
        .engine
        .create_user(&in_sales, new_user("carol"), T0)
        .await
        .unwrap();
    assert_eq!(carol.org_id, sales);
    assert_eq!(usernames(&s.engine, &in_sales).await, vec!["carol"]);
    assert_eq!(
        organization_names(&s.engine, &in_sales).await,
        vec!["Sales", "Sales EU"]
    );
    // Out of reach from the administrator's own organization: refused.
    assert!(s
        .engine
        .switch_console_organization(&in_sales, &OrgId::generate(), T0)
        .await
        .is_err());
    // A deactivated organization sends the Console home.
    s.engine
        .set_organization_active(&s.admin, &sales, false, T0)
        .await
        .unwrap();
    let home = s.engine.console_admin(&principal).await.unwrap();
    assert_eq!(home.org(), &root);
    assert!(matches!(
        s.engine
            .switch_console_organization(&home, &sales, T0)
            .await
            .unwrap_err(),
        Error::Refused(_)
    ));
    // Switching to one's own organization is switching back.
    s.engine
        .switch_console_organization(&home, &eu, T0)
        .await
        .unwrap();
    assert_eq!(s.engine.console_admin(&principal).await.unwrap().org(), &eu);
    s.engine
        .switch_console_organization(&home, &root, T0)
        .await
        .unwrap();
    assert!(!s.engine.console_admin(&principal).await.unwrap().switched());
}
