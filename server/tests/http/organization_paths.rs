//! An organization's path is the organization's, for the settings API and for discovery alike;
//! its administrators can hand on the organization user scopes (issue 20).

use super::impersonation::guide;
use super::impersonation_rules::bearer_send;
use super::oauth::{body_json, get};
use super::*;
use engine::access::scopes;
use engine::organizations::NewOrganization;

#[tokio::test]
async fn the_settings_api_and_discovery_under_an_organizations_path_are_that_organizations() {
    let g = guide().await;
    let (app, engine, admin) = (&g.app, &g.engine, &g.admin);
    let child = engine
        .create_organization(
            admin,
            NewOrganization {
                parent: None,
                name: "Outpost".into(),
                handle: "outpost".into(),
            },
            SystemClock.now(),
        )
        .await
        .unwrap();

    // Discovery: every endpoint under the organization's own path.
    for prefix in [format!("/o/{child}"), "/t/outpost".to_owned()] {
        let doc = body_json(
            get(
                app,
                &format!("{prefix}/oauth2/token/.well-known/openid-configuration"),
                None,
            )
            .await,
        )
        .await;
        for key in [
            "authorization_endpoint",
            "token_endpoint",
            "userinfo_endpoint",
            "jwks_uri",
            "introspection_endpoint",
            "revocation_endpoint",
            "end_session_endpoint",
        ] {
            let url = doc[key].as_str().unwrap();
            assert!(
                url.starts_with(&format!("{ORIGIN}{prefix}/")),
                "{key}: {url}"
            );
        }
        assert_eq!(doc["issuer"], engine.issuer());
    }
    let root_doc = body_json(get(app, "/.well-known/openid-configuration", None).await).await;
    assert_eq!(
        root_doc["authorization_endpoint"],
        format!("{ORIGIN}/oauth2/authorize")
    );

    // The settings API: the root's token is not the organization's.
    let token =
        super::configs::token_with(app, engine, &[scopes::CONFIG_VIEW, scopes::CONFIG_UPDATE])
            .await;
    let off = r#"[{"operation":"REPLACE","path":"/enableEmailNotification","value":false}]"#;
    let r = bearer_send(
        app,
        "PATCH",
        &format!("/o/{child}/api/server/v1/configs/impersonation"),
        &token,
        off.into(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = bearer_send(
        app,
        "GET",
        "/api/server/v1/configs/impersonation",
        &token,
        String::new(),
    )
    .await;
    assert_eq!(body_json(r).await["enableEmailNotification"], true);
}

#[tokio::test]
async fn administrators_can_authorize_an_application_for_the_organization_user_scopes() {
    let g = guide().await;
    let shop = g.shop_authorized(&[], &[]).await;
    let app = g.engine.application_by_client_id(&shop.id).await.unwrap();
    let catalog = g.engine.api_resource_catalog(&g.admin).await.unwrap();
    let resource = catalog
        .iter()
        .find(|r| r.scopes.iter().any(|s| s.name == scopes::ORG_USER_LIST))
        .unwrap();
    let chosen: Vec<String> = scopes::ORGANIZATION_USER_MANAGEMENT
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let granted = g
        .engine
        .authorize_api_resource(&g.admin, &app.id, &resource.id, chosen, SystemClock.now())
        .await
        .unwrap();
    assert!(granted
        .iter()
        .any(|a| a.scopes.iter().any(|s| s == scopes::ORG_USER_DELETE)));
}
