//! Impersonation over HTTP, as clients of the reference product drive it: the subject token in the
//! authorization response's fragment, the token exchange with client authentication, SSO into a
//! second application, refresh, SCIM, introspection and userinfo with `act`; and the Console's
//! Impersonate User / Stop impersonating form targets.

use super::oauth::{body_json, body_text, get, param, token_request, Client, REDIRECT};
use super::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use engine::access::{scopes, CONSOLE_APP};
use engine::applications::{ClientType, GrantType, NewApplication, ProtocolSettings};
use engine::roles::{NewRole, RoleAudience};
use engine::ConsoleAdmin;
use serde_json::Value;

pub(super) struct Guide {
    pub(super) app: Router,
    pub(super) engine: Engine,
    pub(super) admin: ConsoleAdmin,
    pub(super) cookie: String,
    pub(super) olga: String,
}

async fn console_admin(engine: &Engine) -> ConsoleAdmin {
    let now = SystemClock.now();
    let session = engine
        .sign_in(
            engine::sessions::SignIn {
                organization: None,
                username: "admin",
                password: "admin-password-1",
                client_addr: "192.0.2.9",
                previous_token: None,
                answering: None,
                application: None,
                request: None,
            },
            now,
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
        .unwrap();
    engine
        .sign_into_portal(&session.principal, CONSOLE_APP, now)
        .await
        .unwrap();
    engine.console_admin(&session.principal).await.unwrap()
}

/// The guide's set-up: a user Olga who may list users in the shop, and the administrator signed in
/// over HTTP (they hold the Impersonator role from the first start).
pub(super) async fn guide() -> Guide {
    let (app, engine) = app_with_engine().await;
    let admin = console_admin(&engine).await;
    let olga = engine
        .create_user(
            &admin,
            engine::users::NewUser {
                username: "olga".into(),
                email: "olga@example.com".into(),
                given_name: "Olga".into(),
                family_name: "Petrova".into(),
                password: "olga-password".into(),
            },
            SystemClock.now(),
        )
        .await
        .unwrap()
        .id
        .to_string();
    let cookie = admin_cookie(&app).await;
    Guide {
        app,
        engine,
        admin,
        cookie,
        olga,
    }
}

impl Guide {
    /// A business application configured for impersonation as the guide says, authorized to list
    /// users; the administrator may impersonate in it, Olga may list users in it.
    pub(super) async fn shop(&self) -> Client {
        self.shop_granting_olga(&[scopes::USER_LIST]).await
    }

    /// The shop, where Olga's role grants `olga_may`.
    pub(super) async fn shop_granting_olga(&self, olga_may: &[&str]) -> Client {
        self.shop_authorized(olga_may, olga_may).await
    }

    /// The shop, authorized for `authorized` (and impersonation), where Olga's role grants
    /// `olga_may` (no role when empty).
    pub(super) async fn shop_authorized(&self, authorized: &[&str], olga_may: &[&str]) -> Client {
        let now = SystemClock.now();
        let org = self.engine.root_org().await.unwrap();
        let grants = vec![
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::TokenExchange,
            GrantType::OrganizationSwitch,
        ];
        let (shop, secret) = self
            .engine
            .create_application(
                "test",
                &org,
                NewApplication {
                    name: format!("Shop {}", uuid_like()),
                    description: String::new(),
                    client_type: ClientType::Confidential,
                    redirect_uris: vec![REDIRECT.into()],
                    post_logout_redirect_uris: vec![],
                    grant_types: grants.clone(),
                    access_url: String::new(),
                    authorized_scopes: [scopes::USER_IMPERSONATE]
                        .iter()
                        .chain(authorized)
                        .map(|s| (*s).to_owned())
                        .collect(),
                },
                now,
            )
            .await
            .unwrap();
        self.engine
            .update_application_protocol(
                &self.admin,
                &shop.id,
                ProtocolSettings {
                    redirect_uris: vec![REDIRECT.into()],
                    post_logout_redirect_uris: vec![],
                    grant_types: grants,
                    pkce_required: false,
                    access_token_lifetime: 3600,
                    refresh_token_lifetime: 86400,
                    id_token_lifetime: 3600,
                    subject_token_enabled: true,
                    subject_token_lifetime: 180,
                    refresh_grace_secs: 0,
                },
                now,
            )
            .await
            .unwrap();
        self.engine
            .update_application_consent(&self.admin, &shop.id, true, true, now)
            .await
            .unwrap();
        for (name, permissions, holder) in [
            ("impersonation", &[scopes::USER_IMPERSONATE][..], "admin"),
            ("user list", olga_may, "olga"),
        ] {
            if permissions.is_empty() {
                continue;
            }
            self.engine
                .create_role(
                    "test",
                    &org,
                    NewRole {
                        name: format!("{} {name}", shop.name),
                        audience: RoleAudience::Application(shop.client_id.clone()),
                        permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
                        assign: vec![holder.into()],
                    },
                    now,
                )
                .await
                .unwrap();
        }
        Client {
            id: shop.client_id,
            secret: secret.unwrap().expose().to_owned(),
        }
    }
}

pub(super) fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

pub(super) fn fragment(url: &str, name: &str) -> Option<String> {
    let fragment = url.split_once('#')?.1;
    form_urlencoded::parse(fragment.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub(super) fn subject_query(client: &Client, subject: Option<&str>) -> String {
    subject_query_scoped(
        client,
        subject,
        "openid internal_user_impersonate internal_login internal_user_mgt_list",
    )
}

/// The subject token request for `scope`.
pub(super) fn subject_query_scoped(client: &Client, subject: Option<&str>, scope: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("response_type", "id_token subject_token")
        .append_pair("client_id", &client.id)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("scope", scope)
        .append_pair("state", "s1")
        .append_pair("nonce", "n1");
    if let Some(subject) = subject {
        q.append_pair("requested_subject", subject);
    }
    q.finish()
}

pub(super) fn exchange_body(client: &Client, subject_token: &str, actor_token: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair(
            "grant_type",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        )
        .append_pair("client_id", &client.id)
        .append_pair("subject_token", subject_token)
        .append_pair("subject_token_type", "urn:ietf:params:oauth:token-type:jwt")
        .append_pair(
            "requested_token_type",
            "urn:ietf:params:oauth:token-type:access_token",
        )
        .append_pair("actor_token", actor_token)
        .append_pair(
            "actor_token_type",
            "urn:ietf:params:oauth:token-type:id_token",
        )
        .finish()
}

async fn bearer_get(app: &Router, uri: &str, token: &str) -> http::Response<Body> {
    send(
        app,
        Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_business_application_impersonates_through_the_subject_token_and_the_exchange() {
    let g = guide().await;
    let shop = g.shop().await;

    // Step 1: the subject token, in the fragment.
    let r = get(
        &g.app,
        &format!("/oauth2/authorize?{}", subject_query(&shop, Some(&g.olga))),
        Some(&g.cookie),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r).to_owned();
    assert!(to.starts_with(&format!("{REDIRECT}#")), "{to}");
    assert_eq!(fragment(&to, "state").as_deref(), Some("s1"));
    assert!(fragment(&to, "session_state").is_some());
    let subject_token = fragment(&to, "subject_token").unwrap();
    let actor_token = fragment(&to, "id_token").unwrap();
    let admin_id = claims(&actor_token)["sub"].as_str().unwrap().to_owned();
    assert_eq!(claims(&subject_token)["sub"], g.olga.as_str());
    assert_eq!(claims(&subject_token)["may_act"]["sub"], admin_id.as_str());

    // Step 2: the exchange, with client authentication.
    let r = token_request(
        &g.app,
        Some(&shop.basic()),
        &exchange_body(&shop, &subject_token, &actor_token),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let answer = body_json(r).await;
    assert_eq!(
        answer["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 3600);
    let access = answer["access_token"].as_str().unwrap().to_owned();
    let c = claims(&access);
    assert_eq!(c["sub"], g.olga.as_str());
    assert_eq!(c["act"]["sub"], admin_id.as_str());
    assert!(answer["scope"]
        .as_str()
        .unwrap()
        .contains("internal_user_mgt_list"));

    // The impersonated token reads /scim2/Users, as Olga's roles allow.
    let r = bearer_get(&g.app, "/scim2/Users", &access).await;
    assert_eq!(r.status(), StatusCode::OK);
    // As Olga, the impersonator may change her names through /scim2/Me, never her password.
    let me_patch = |body: &'static str| {
        let app = g.app.clone();
        let access = access.clone();
        async move {
            send(
                &app,
                Request::patch("/scim2/Me")
                    .header(header::AUTHORIZATION, format!("Bearer {access}"))
                    .header(header::CONTENT_TYPE, "application/scim+json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
        }
    };
    let r = me_patch(r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"password","value":"taken-over-1"}]}"#).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(body_text(r).await.contains("While impersonating"));
    let r = me_patch(r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.familyName","value":"Ivanova"}]}"#).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = bearer_get(&g.app, "/scim2/Me", &access).await;
    assert_eq!(body_json(r).await["name"]["familyName"], "Ivanova");

    // Introspection and userinfo say who really acts.
    let r = send(
        &g.app,
        Request::post("/oauth2/introspect")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::AUTHORIZATION, shop.basic())
            .body(Body::from(format!("token={access}")))
            .unwrap(),
    )
    .await;
    let introspected = body_json(r).await;
    assert_eq!(introspected["active"], true);
    assert_eq!(introspected["act"]["sub"], admin_id.as_str());
    let r = bearer_get(&g.app, "/oauth2/userinfo", &access).await;
    let info = body_json(r).await;
    assert_eq!(info["sub"], g.olga.as_str());
    assert_eq!(info["act"]["sub"], admin_id.as_str());

    // Step 3: SSO into a second application in that browser session yields act, and two
    // refreshes keep sub and act.
    let second = g.shop().await;
    let query = super::oauth::authorize_query(&second, &[]);
    let r = get(
        &g.app,
        &format!("/oauth2/authorize?{query}"),
        Some(&g.cookie),
    )
    .await;
    let to = location(&r).to_owned();
    let code = param(&to, "code").unwrap_or_else(|| panic!("no code: {to}"));
    let r = token_request(
        &g.app,
        Some(&second.basic()),
        &format!(
            "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={}",
            form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>(),
            super::oauth::VERIFIER
        ),
    )
    .await;
    let tokens = body_json(r).await;
    assert_eq!(
        claims(tokens["access_token"].as_str().unwrap())["act"]["sub"],
        admin_id.as_str()
    );
    let mut refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        let r = token_request(
            &g.app,
            Some(&second.basic()),
            &format!("grant_type=refresh_token&refresh_token={refresh_token}"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        let refreshed = body_json(r).await;
        let c = claims(refreshed["access_token"].as_str().unwrap());
        assert_eq!(c["sub"], g.olga.as_str());
        assert_eq!(c["act"]["sub"], admin_id.as_str());
        refresh_token = refreshed["refresh_token"].as_str().unwrap().to_owned();
    }
}

#[tokio::test]
async fn subject_token_request_errors_are_in_the_fragment_with_the_contracts_words() {
    let g = guide().await;
    let shop = g.shop().await;
    let r = get(
        &g.app,
        &format!("/oauth2/authorize?{}", subject_query(&shop, None)),
        Some(&g.cookie),
    )
    .await;
    let to = location(&r).to_owned();
    assert_eq!(fragment(&to, "error").as_deref(), Some("invalid_request"));
    assert_eq!(
        fragment(&to, "error_description").as_deref(),
        Some("response_type is subject_token. but requested_subject parameter not found.")
    );
    // A second subject in the same session, once the first was exchanged.
    let r = get(
        &g.app,
        &format!("/oauth2/authorize?{}", subject_query(&shop, Some(&g.olga))),
        Some(&g.cookie),
    )
    .await;
    let to = location(&r).to_owned();
    let body = exchange_body(
        &shop,
        &fragment(&to, "subject_token").unwrap(),
        &fragment(&to, "id_token").unwrap(),
    );
    let r = token_request(&g.app, Some(&shop.basic()), &body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bob = g
        .engine
        .create_user(
            &g.admin,
            engine::users::NewUser {
                username: "bob".into(),
                email: "bob@example.com".into(),
                given_name: "Bob".into(),
                family_name: "B".into(),
                password: "bob-password".into(),
            },
            SystemClock.now(),
        )
        .await
        .unwrap();
    let r = get(
        &g.app,
        &format!(
            "/oauth2/authorize?{}",
            subject_query(&shop, Some(bob.id.as_str()))
        ),
        Some(&g.cookie),
    )
    .await;
    let to = location(&r).to_owned();
    assert_eq!(fragment(&to, "error").as_deref(), Some("invalid_request"));
    assert_eq!(
        fragment(&to, "error_description").as_deref(),
        Some("Cannot perform impersonation on more than one user in the same session.")
    );
    // An exchange without client authentication is refused.
    let r = token_request(&g.app, None, &body).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_console_impersonates_into_my_account_and_stops_back_to_the_console() {
    let g = guide().await;
    let start = |site: &'static str, user: String| {
        let app = g.app.clone();
        let cookie = g.cookie.clone();
        async move {
            send(
                &app,
                form_post("/auth/impersonation/start", Some(site))
                    .header(header::COOKIE, cookie)
                    .body(Body::from(format!("user_id={user}")))
                    .unwrap(),
            )
            .await
        }
    };
    // Cross-site: refused before anything happens.
    let r = start("cross-site", g.olga.clone()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Oneself: a page saying why.
    let me = g.admin.principal().user_id().to_string();
    let r = start("same-origin", me).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(body_text(r)
        .await
        .contains("You cannot impersonate yourself."));

    let r = start("same-origin", g.olga.clone()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/myaccount");
    // My Account opens as Olga (no sign-in asked); the Console says what is going on.
    let r = get(&g.app, "/myaccount", Some(&g.cookie)).await;
    assert!(
        !location(&r).starts_with("/login"),
        "My Account asked to sign in"
    );
    assert_ne!(r.status(), StatusCode::FORBIDDEN);
    let r = get(&g.app, "/console/users", Some(&g.cookie)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let text = body_text(r).await;
    assert!(text.contains("The Console is paused"), "{text}");
    assert!(
        text.contains("This browser is impersonating olga"),
        "{text}"
    );
    assert!(text.contains("/auth/impersonation/stop"));

    let r = send(
        &g.app,
        form_post("/auth/impersonation/stop", Some("same-origin"))
            .header(header::COOKIE, &g.cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/console/users/{}", g.olga));
    let r = get(&g.app, "/console/users", Some(&g.cookie)).await;
    assert_ne!(r.status(), StatusCode::FORBIDDEN);
    assert!(!location(&r).starts_with("/login"));
    let history = g
        .engine
        .impersonation_history(&g.admin, &engine::UserId::parse(&g.olga).unwrap())
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert!(history[0].ended_at.is_some());
}
