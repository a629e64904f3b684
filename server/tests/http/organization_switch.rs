//! The guide's "Access Organizations as an Impersonator": its curl request to the token endpoint,
//! as it stands (Basic client authentication plus `client_id`, `grant_type=organization_switch`,
//! `scope`, `switching_organization`, `token`), with real ids; and the contract's errors.

use super::audit_requests::impersonated_token;
use super::impersonation::{claims, guide};
use super::oauth::{body_json, token_request, token_request_at};
use super::*;
use engine::organizations::{NewOrganization, Sharing};
use engine::roles::{NewRole, RoleAudience};

const ORG_SCOPES: [&str; 3] = [
    "internal_org_user_mgt_list",
    "internal_org_user_mgt_view",
    "internal_org_user_mgt_create",
];

/// The guide's request body, with the guide's scope.
fn curl_body(client_id: &str, org: &str, token: &str) -> String {
    switch_body(
        client_id,
        org,
        token,
        "internal_login internal_org_user_mgt_view internal_org_user_mgt_list",
    )
}

fn switch_body(client_id: &str, org: &str, token: &str, scope: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", client_id)
        .append_pair("grant_type", "organization_switch")
        .append_pair("scope", scope)
        .append_pair("switching_organization", org)
        .append_pair("token", token)
        .finish()
}

#[tokio::test]
async fn the_guides_curl_switches_an_impersonated_token_into_a_child_organization() {
    let g = guide().await;
    let now = SystemClock.now();
    // The shop is authorized for the organization user scopes (Olga holds them nowhere at home).
    let (token, admin_id, client_id, shop) = impersonated_token(&g, &ORG_SCOPES, &[]).await;
    let sub_org = g
        .engine
        .create_organization(
            &g.admin,
            NewOrganization {
                parent: None,
                name: "SubOrg".into(),
                handle: "suborg".into(),
            },
            now,
        )
        .await
        .unwrap();
    let app = g.engine.application_by_client_id(&client_id).await.unwrap();
    g.engine
        .share_application(
            &g.admin,
            &app.id,
            Sharing::Selected(vec![sub_org.clone()]),
            now,
        )
        .await
        .unwrap();
    g.engine
        .invite_parent_user(&g.admin, &sub_org, "olga", now)
        .await
        .unwrap();
    g.engine
        .create_role(
            "test",
            &sub_org,
            NewRole {
                name: "SubOrg users".into(),
                audience: RoleAudience::Application(client_id.clone()),
                permissions: ORG_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
                assign: vec!["olga".into()],
            },
            now,
        )
        .await
        .unwrap();

    let r = token_request(
        &g.app,
        Some(&shop.basic()),
        &curl_body(&client_id, sub_org.as_str(), &token),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let answer = body_json(r).await;
    let keys: Vec<&str> = answer
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec!["access_token", "expires_in", "scope", "token_type"]
    );
    assert_eq!(
        answer["scope"],
        "internal_login internal_org_user_mgt_list internal_org_user_mgt_view"
    );
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 3600);
    let c = claims(answer["access_token"].as_str().unwrap());
    assert_eq!(c["sub"], g.olga.as_str());
    assert_eq!(c["act"]["sub"], admin_id.as_str());
    assert_eq!(c["org_id"], sub_org.as_str());
    assert_eq!(c["org_name"], "SubOrg");
    assert_eq!(c["user_org"], claims(&token)["org_id"]);
    // The same switch, asking to create users too.
    let r = token_request(
        &g.app,
        Some(&shop.basic()),
        &switch_body(
            &client_id,
            sub_org.as_str(),
            &token,
            "internal_org_user_mgt_list internal_org_user_mgt_view internal_org_user_mgt_create",
        ),
    )
    .await;
    let org_token = body_json(r).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    // The organization's SCIM endpoint, with the organization token: its own users only.
    let scim = |method: &str, uri: &str, token: &str, body: &'static str| {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/scim+json")
            .body(Body::from(body))
            .unwrap();
        let app = g.app.clone();
        async move { send(&app, request).await }
    };
    let r = scim("POST", "/o/scim2/Users", &org_token,
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"carol","emails":[{"value":"carol@example.com","primary":true}],"password":"carol-password-1"}"#).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        super::oauth::body_text(r).await
    );
    let listed = body_json(scim("GET", "/o/scim2/Users", &org_token, "").await).await;
    let names: Vec<&str> = listed["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["carol"]);
    // An organization token reaches nothing of the root's: not its users (not found), not its
    // endpoint (no root scope).
    let r = scim("GET", &format!("/o/scim2/Users/{}", g.olga), &org_token, "").await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "{}",
        super::oauth::body_text(r).await
    );
    let r = scim("GET", "/scim2/Users", &org_token, "").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // And the root's token is refused at the organization endpoint.
    let r = scim("GET", "/o/scim2/Users", &token, "").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The same endpoints under the organization's prefixes: `/o/{org-id}/…` and `/t/{handle}/…`.
    for prefix in [format!("/o/{sub_org}"), "/t/suborg".to_owned()] {
        let listed =
            body_json(scim("GET", &format!("{prefix}/scim2/Users"), &org_token, "").await).await;
        assert_eq!(listed["totalResults"], 1, "{prefix}: {listed}");
        let r = token_request_at(
            &g.app,
            &format!("{prefix}/oauth2/token"),
            Some(&shop.basic()),
            &curl_body(&client_id, sub_org.as_str(), &token),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{prefix}");
    }
    // Another organization's path refuses this organization's token; an unknown one is not found.
    let sibling = g
        .engine
        .create_organization(
            &g.admin,
            NewOrganization {
                parent: None,
                name: "Sibling".into(),
                handle: "sibling".into(),
            },
            now,
        )
        .await
        .unwrap();
    let r = scim("GET", &format!("/o/{sibling}/scim2/Users"), &org_token, "").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = scim("GET", "/t/nowhere/scim2/Users", &org_token, "").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The contract's errors, as invalid_grant.
    let refused = |org: String, token: String| {
        let body = curl_body(&client_id, &org, &token);
        let app = g.app.clone();
        let auth = shop.basic();
        async move {
            let r = token_request(&app, Some(&auth), &body).await;
            assert_eq!(r.status(), StatusCode::BAD_REQUEST);
            let e = body_json(r).await;
            assert_eq!(e["error"], "invalid_grant");
            e["error_description"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(
        refused("2fb64b16".into(), token.clone()).await,
        "Invalid organization id"
    );
    assert_eq!(
        refused(sub_org.to_string(), "eyJ.not.a-token".into()).await,
        "Invalid token received."
    );
    g.engine
        .set_organization_active(&g.admin, &sub_org, false, now)
        .await
        .unwrap();
    assert_eq!(
        refused(sub_org.to_string(), token.clone()).await,
        "The switching organization is in deactivated state."
    );
}
