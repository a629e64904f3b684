//! What the impersonation tests share: an administrator (who holds the Impersonator role from the
//! first start) signed into the Console, a plain user Olga, and a business application set up as the
//! guide's "Configure business applications for impersonation" says.

use crate::access::{resource_owning, role, IMPERSONATE};
use crate::harness::*;
use crate::oauth::{register, REDIRECT};
use engine::access::{CONSOLE_APP, MY_ACCOUNT_APP};
use engine::applications::{Application, ClientType, GrantType, ProtocolSettings};
use engine::oauth::authorize::{AuthorizeParams, AuthorizeStep, ConsentAnswer};
use engine::oauth::token::TokenParams;
use engine::roles::RoleAudience;
use engine::sessions::Principal;
use engine::{ConsoleAdmin, Engine, Timestamp, UserId};

pub struct Setup {
    pub engine: Engine,
    /// The database, for a second node.
    pub url: String,
    pub admin: ConsoleAdmin,
    /// The administrator's SSO session token (the browser's cookie).
    pub admin_token: String,
    pub olga: UserId,
    pub app: Application,
    /// The application's role granting the administrator `internal_user_impersonate`.
    pub impersonation_role: engine::RoleId,
}

/// Everything the guide sets up: the application may use token exchange and subject tokens, is
/// authorized for User Impersonation, skips login consent, and the administrator holds a role of
/// the application granting `internal_user_impersonate`.
pub async fn setup() -> Setup {
    let (engine, url) = engine_at().await;
    let session = sign_in(&engine, ADMIN, ADMIN_PASSWORD).await.unwrap();
    engine
        .sign_into_portal(&session.principal, CONSOLE_APP, T0)
        .await
        .unwrap();
    let admin = engine.console_admin(&session.principal).await.unwrap();
    let olga = engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap()
        .id;
    let app = impersonation_app(&engine, &admin, true).await;
    let impersonation_role = role(
        &engine,
        "Shop impersonation",
        RoleAudience::Application(app.client_id.clone()),
        &[IMPERSONATE],
        &[ADMIN],
    )
    .await;
    Setup {
        engine,
        url,
        admin,
        admin_token: session.token.expose().to_owned(),
        olga,
        app,
        impersonation_role,
    }
}

/// A confidential application configured for impersonation; `skip_consent` as its Advanced tab.
pub async fn impersonation_app(
    engine: &Engine,
    admin: &ConsoleAdmin,
    skip_consent: bool,
) -> Application {
    let (app, _) = register(
        engine,
        ClientType::Confidential,
        &[
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::TokenExchange,
        ],
    )
    .await;
    engine
        .update_application_protocol(
            admin,
            &app.id,
            ProtocolSettings {
                redirect_uris: vec![REDIRECT.into()],
                post_logout_redirect_uris: vec![],
                grant_types: vec![
                    GrantType::AuthorizationCode,
                    GrantType::RefreshToken,
                    GrantType::TokenExchange,
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
    let resource = resource_owning(engine, admin, IMPERSONATE).await;
    engine
        .authorize_api_resource(admin, &app.id, &resource, vec![IMPERSONATE.into()], T0)
        .await
        .unwrap();
    engine
        .update_application_consent(admin, &app.id, skip_consent, skip_consent, T0)
        .await
        .unwrap()
}

impl Setup {
    /// The browser session's principal now (the user while impersonating, else the admin).
    pub async fn session(&self, now: Timestamp) -> Principal {
        self.engine
            .authenticate(&self.admin_token, now)
            .await
            .unwrap()
    }

    /// Whether the Console's Impersonate User on Olga is allowed now (it is stopped again).
    pub async fn impersonate_olga_allowed(&self) -> bool {
        let allowed = self
            .engine
            .impersonate_from_console(
                &self.admin,
                &self.olga,
                &engine::impersonation::Justification::default(),
                T0,
            )
            .await
            .is_ok();
        if allowed {
            self.engine
                .stop_impersonating(&self.session(T0).await, T0)
                .await
                .unwrap();
        }
        allowed
    }

    /// The Console's Impersonate User on Olga, then My Account's sign-in in the new tab.
    pub async fn impersonate_olga(&self) -> Principal {
        self.engine
            .impersonate_from_console(
                &self.admin,
                &self.olga,
                &engine::impersonation::Justification::default(),
                T0,
            )
            .await
            .unwrap();
        let olga = self.session(T0).await;
        self.engine
            .sign_into_portal(&olga, MY_ACCOUNT_APP, T0)
            .await
            .unwrap();
        olga
    }
}

/// The authorization endpoint's step for `params` and the session `who`.
pub async fn authorize_step(
    engine: &Engine,
    params: &AuthorizeParams,
    who: &Principal,
    now: Timestamp,
) -> AuthorizeStep {
    let req = engine.validate_authorization_request(params).await.unwrap();
    engine
        .authorize(&req, Some(who), ConsentAnswer::NotAsked, now)
        .await
        .unwrap()
}

/// A parameter of a redirect's fragment.
pub fn fragment_param(url: &str, name: &str) -> Option<String> {
    let fragment = url::Url::parse(url).unwrap().fragment()?.to_owned();
    url::form_urlencoded::parse(fragment.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The application's request for a subject token (with the impersonator's ID token) to act as
/// Olga.
pub fn subject_token_request(s: &Setup) -> AuthorizeParams {
    AuthorizeParams {
        response_type: Some("id_token subject_token".into()),
        client_id: Some(s.app.client_id.clone()),
        redirect_uri: Some(REDIRECT.into()),
        scope: Some("openid internal_user_impersonate internal_login".into()),
        state: Some("st".into()),
        nonce: Some("n-1".into()),
        requested_subject: Some(s.olga.as_str().to_owned()),
        ..AuthorizeParams::default()
    }
}

/// The API flow's impersonated token (subject token, then the exchange), or `None` when refused
/// at either step.
pub async fn exchanged_token(s: &Setup) -> Option<String> {
    let admin = s.session(T0).await;
    let request = subject_token_request(s);
    let AuthorizeStep::Redirect(location) = authorize_step(&s.engine, &request, &admin, T0).await
    else {
        return None;
    };
    let params = TokenParams {
        grant_type: Some("urn:ietf:params:oauth:grant-type:token-exchange".into()),
        subject_token: Some(fragment_param(&location, "subject_token")?),
        subject_token_type: Some("urn:ietf:params:oauth:token-type:jwt".into()),
        actor_token: Some(fragment_param(&location, "id_token")?),
        actor_token_type: Some("urn:ietf:params:oauth:token-type:id_token".into()),
        scope: Some("openid internal_login".into()),
        ..TokenParams::default()
    };
    let answer = s.engine.token(&s.app, &params, T0).await.ok()?;
    Some(answer.access_token)
}
