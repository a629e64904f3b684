//! The rules an impersonation keeps on every path, each proven on the path where hostile testing
//! once found it forgotten (issue 20): the user's own account stays the user's through
//! `/scim2/Users/{id}` as through `/scim2/Me`; the impersonation decision is made again when a
//! token is switched into an organization and whenever who may impersonate whom changes; a switched
//! token ends with its source.

use super::audit_requests::impersonated_token;
use super::impersonation::{claims, exchange_body, fragment, guide, subject_query_scoped, Guide};
use super::oauth::{body_json, body_text, get, token_request, token_request_at, Client};
use super::*;
use engine::access::scopes;
use engine::organizations::{NewOrganization, Sharing};
use engine::roles::{NewRole, RoleAudience};
use engine::{OrgId, RoleId};
use serde_json::Value;

pub(super) async fn bearer_send(
    app: &Router,
    method: &str,
    uri: &str,
    token: &str,
    body: String,
) -> http::Response<Body> {
    send(
        app,
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/scim+json")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn replace(value: Value) -> String {
    serde_json::json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{ "op": "replace", "value": value }],
    })
    .to_string()
}

#[tokio::test]
async fn an_impersonated_token_cannot_change_the_users_own_sign_in_attributes_through_scim_users() {
    let g = guide().await;
    let olga_may = [scopes::USER_LIST, scopes::USER_VIEW, scopes::USER_UPDATE];
    let (token, ..) = impersonated_token(&g, &olga_may, &olga_may).await;
    let uri = format!("/scim2/Users/{}", g.olga);
    for (attribute, value, refusal) in [
        (
            "emails",
            serde_json::json!([{ "value": "attacker@example.com" }]),
            "email address",
        ),
        ("userName", serde_json::json!("olga2"), "username"),
        ("externalId", serde_json::json!("ext-1"), "external id"),
        ("active", serde_json::json!(false), "lock, disable"),
        (
            "password",
            serde_json::json!("A-new-password-9"),
            "password",
        ),
    ] {
        let r = bearer_send(
            &g.app,
            "PATCH",
            &uri,
            &token,
            replace(serde_json::json!({ attribute: value })),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{attribute}");
        let text = body_text(r).await;
        assert!(
            text.contains("While impersonating") && text.contains(refusal),
            "{attribute}: {text}"
        );
    }
    let olga = g
        .engine
        .get_user(&g.admin, &engine::UserId::parse(&g.olga).unwrap())
        .await
        .unwrap();
    assert_eq!(olga.email, "olga@example.com");
    assert_eq!(olga.username, "olga");
    assert!(olga.external_id.is_none());

    // The user's names are theirs to change in My Account while impersonated too.
    let r = bearer_send(
        &g.app,
        "PATCH",
        &uri,
        &token,
        replace(serde_json::json!({ "name": { "givenName": "Olgа", "familyName": "Petrova" } })),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", body_text(r).await);

    // The same token's email change through /scim2/Me is refused with the same words.
    let r = bearer_send(
        &g.app,
        "PATCH",
        "/scim2/Me",
        &token,
        replace(serde_json::json!({ "emails": [{ "value": "attacker@example.com" }] })),
    )
    .await;
    assert!(r.status().is_client_error());
    assert!(body_text(r)
        .await
        .contains("While impersonating, you cannot change the user's email address."));
}

/// Ivan, a support agent: no Console role, only the shop's impersonation role, signed in.
struct Agent {
    g: Guide,
    shop: Client,
    role: RoleId,
    cookie: String,
}

async fn agent() -> Agent {
    let g = guide().await;
    // The shop may carry the organization user scopes; Olga holds nothing in it yet.
    let shop = g
        .shop_authorized(scopes::ORGANIZATION_USER_MANAGEMENT, &[])
        .await;
    let now = SystemClock.now();
    g.engine
        .create_user(
            &g.admin,
            engine::users::NewUser {
                username: "ivan".into(),
                email: "ivan@example.com".into(),
                given_name: "Ivan".into(),
                family_name: "Support".into(),
                password: "ivan-password-1".into(),
            },
            now,
        )
        .await
        .unwrap();
    let root = g.engine.root_org().await.unwrap();
    let role = g
        .engine
        .create_role(
            "test",
            &root,
            NewRole {
                name: "Shop support".into(),
                audience: RoleAudience::Application(shop.id.clone()),
                permissions: vec![scopes::USER_IMPERSONATE.into()],
                assign: vec!["ivan".into()],
            },
            now,
        )
        .await
        .unwrap();
    let r = login(
        &g.app,
        "username=ivan&password=ivan-password-1",
        Some("same-origin"),
    )
    .await;
    let cookie = set_cookie(&r)
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    Agent {
        g,
        shop,
        role,
        cookie,
    }
}

/// Olga's access token, obtained by Ivan through the subject token and the exchange; `None` when
/// the impersonation is refused.
async fn olga_token(a: &Agent) -> Result<String, Value> {
    let query = subject_query_scoped(
        &a.shop,
        Some(&a.g.olga),
        "openid internal_user_impersonate internal_login",
    );
    let r = get(
        &a.g.app,
        &format!("/oauth2/authorize?{query}"),
        Some(&a.cookie),
    )
    .await;
    let to = location(&r).to_owned();
    let (Some(subject_token), Some(actor_token)) =
        (fragment(&to, "subject_token"), fragment(&to, "id_token"))
    else {
        return Err(serde_json::json!({
            "error": fragment(&to, "error"),
            "error_description": fragment(&to, "error_description"),
        }));
    };
    let r = token_request(
        &a.g.app,
        Some(&a.shop.basic()),
        &exchange_body(&a.shop, &subject_token, &actor_token),
    )
    .await;
    let ok = r.status() == StatusCode::OK;
    let answer = body_json(r).await;
    if !ok {
        return Err(answer);
    }
    Ok(answer["access_token"].as_str().unwrap().to_owned())
}

async fn me_status(app: &Router, token: &str) -> StatusCode {
    bearer_send(app, "GET", "/scim2/Me", token, String::new())
        .await
        .status()
}

async fn active(app: &Router, shop: &Client, token: &str) -> bool {
    let body = format!("token={token}");
    let r = token_request_at(app, "/oauth2/introspect", Some(&shop.basic()), &body).await;
    body_json(r).await["active"] == true
}

fn switch_body(client: &Client, org: &OrgId, token: &str, scope: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", &client.id)
        .append_pair("grant_type", "organization_switch")
        .append_pair("scope", scope)
        .append_pair("switching_organization", org.as_str())
        .append_pair("token", token)
        .finish()
}

/// A child organization the shop is shared with, Olga invited into it.
async fn child_with_olga(g: &Guide, shop: &Client, handle: &str) -> OrgId {
    let now = SystemClock.now();
    let org = g
        .engine
        .create_organization(
            &g.admin,
            NewOrganization {
                parent: None,
                name: handle.to_uppercase(),
                handle: handle.into(),
            },
            now,
        )
        .await
        .unwrap();
    let app = g.engine.application_by_client_id(&shop.id).await.unwrap();
    g.engine
        .share_application(&g.admin, &app.id, Sharing::Selected(vec![org.clone()]), now)
        .await
        .unwrap();
    g.engine
        .invite_parent_user(&g.admin, &org, "olga", now)
        .await
        .unwrap();
    org
}

#[tokio::test]
async fn tokens_end_when_the_impersonator_loses_the_right_or_the_user_rises_above_them() {
    let a = agent().await;
    let now = SystemClock.now();

    // The impersonator loses the role that let them impersonate in the shop.
    let token = olga_token(&a).await.unwrap();
    assert_eq!(me_status(&a.g.app, &token).await, StatusCode::OK);
    a.g.engine
        .set_role_users(&a.g.admin, &a.role, vec![], now)
        .await
        .unwrap();
    assert_eq!(me_status(&a.g.app, &token).await, StatusCode::UNAUTHORIZED);
    assert!(!active(&a.g.app, &a.shop, &token).await);

    // Given back, it works again for a new token...
    a.g.engine
        .set_role_users(&a.g.admin, &a.role, vec!["ivan".into()], now)
        .await
        .unwrap();
    let token = olga_token(&a).await.unwrap();
    assert_eq!(me_status(&a.g.app, &token).await, StatusCode::OK);
    // ...until the user is given a system scope the impersonator does not hold.
    let root = a.g.engine.root_org().await.unwrap();
    a.g.engine
        .create_role(
            "test",
            &root,
            NewRole {
                name: "Shop user listing".into(),
                audience: RoleAudience::Application(a.shop.id.clone()),
                permissions: vec![scopes::ORG_USER_LIST.into()],
                assign: vec!["olga".into()],
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!(me_status(&a.g.app, &token).await, StatusCode::UNAUTHORIZED);
    // And a fresh impersonation is refused for the same reason.
    let refused = olga_token(&a).await.unwrap_err();
    assert_eq!(
        refused["error_description"],
        "This user holds privileges you do not hold, so you cannot impersonate them."
    );
}

#[tokio::test]
async fn an_organization_switch_cannot_carry_an_impersonation_above_the_impersonator() {
    let a = agent().await;
    let token = olga_token(&a).await.unwrap();
    let child = child_with_olga(&a.g, &a.shop, "branch").await;

    // Olga holds nothing in the branch: the switch goes through, with nothing of the branch's.
    let r = token_request(
        &a.g.app,
        Some(&a.shop.basic()),
        &switch_body(&a.shop, &child, &token, "internal_login"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let switched = body_json(r).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(claims(&switched)["org_id"], child.as_str());
    assert!(active(&a.g.app, &a.shop, &switched).await);

    // She is given, in the branch, the right to delete its users, which Ivan does not hold.
    a.g.engine
        .create_role(
            "test",
            &child,
            NewRole {
                name: "Branch user admins".into(),
                audience: RoleAudience::Application(a.shop.id.clone()),
                permissions: vec![scopes::ORG_USER_DELETE.into()],
                assign: vec!["olga".into()],
            },
            SystemClock.now(),
        )
        .await
        .unwrap();
    // The running impersonation is not switched into the branch with it...
    let r = token_request(
        &a.g.app,
        Some(&a.shop.basic()),
        &switch_body(
            &a.shop,
            &child,
            &token,
            "internal_login internal_org_user_mgt_delete",
        ),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "{}",
        body_text(r).await
    );
    // ...and what it was switched into before ends.
    assert!(!active(&a.g.app, &a.shop, &switched).await);
    let r = bearer_send(
        &a.g.app,
        "DELETE",
        &format!("/o/scim2/Users/{}", a.g.olga),
        &switched,
        String::new(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_switched_token_ends_with_the_token_it_came_from() {
    let g = guide().await;
    let (token, _, _, shop) = impersonated_token(&g, &[], &[]).await;
    let child = child_with_olga(&g, &shop, "annex").await;
    let switched = |source: String| {
        let app = g.app.clone();
        let body = switch_body(&shop, &child, &source, "internal_login");
        let auth = shop.basic();
        async move {
            let r = token_request(&app, Some(&auth), &body).await;
            assert_eq!(r.status(), StatusCode::OK);
            body_json(r).await["access_token"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let once = switched(token.clone()).await;
    // Switched on from the branch's token: a chain, which ends all the same.
    let revoke = |t: &str| format!("token={t}&token_type_hint=access_token");
    assert!(active(&g.app, &shop, &once).await);
    let r = token_request_at(
        &g.app,
        "/oauth2/revoke",
        Some(&shop.basic()),
        &revoke(&token),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(!active(&g.app, &shop, &token).await);
    assert!(!active(&g.app, &shop, &once).await);
}
