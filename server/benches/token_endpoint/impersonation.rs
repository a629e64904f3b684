//! The impersonation runs: the token exchange (two signature checks, one signature, one short
//! write), the code flow of an impersonation session (tokens carrying `act`), and starting an
//! impersonation from the Console.

use super::{load, report, Call, CONNECTIONS, REDIRECT, SHORT_DURATION};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use engine::access::{scopes, CONSOLE_APP};
use engine::applications::{Application, ClientType, GrantType, NewApplication, ProtocolSettings};
use engine::oauth::authorize::{AuthorizeParams, AuthorizeStep, ConsentAnswer};
use engine::roles::{NewRole, RoleAudience};
use engine::sessions::{NewSession, SignIn};
use engine::{Clock, ConsoleAdmin, Engine, SystemClock, UserId};
use std::collections::VecDeque;

/// Connections for starting impersonations: each one an administrator's browser session.
const CONSOLE_SESSIONS: usize = 4;

pub async fn run(addr: std::net::SocketAddr, engine: &Engine, signing: f64) {
    let setup = Setup::new(engine).await;
    // One artifact per request: enough for the run at 80% of raw signing.
    let wanted = (signing * SHORT_DURATION.as_secs_f64() * 0.8) as usize;

    let (subject_tokens, actor_token) = setup.subject_tokens(wanted).await;
    let exchange = load(addr, CONNECTIONS, SHORT_DURATION, |i| {
        let mut mine: VecDeque<String> = subject_tokens
            .iter()
            .skip(i)
            .step_by(CONNECTIONS)
            .cloned()
            .collect();
        let basic = setup.basic.clone();
        let actor_token = actor_token.clone();
        move |_previous: Option<String>| {
            let subject_token = mine.pop_front()?;
            Some(Call::token(
                format!(
                    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange\
                     &subject_token={subject_token}\
                     &subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt\
                     &actor_token={actor_token}\
                     &actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token"
                ),
                &basic,
            ))
        }
    })
    .await;
    report("token exchange", &exchange, signing);

    let codes = setup.impersonated_codes(wanted).await;
    let code_flow = load(addr, CONNECTIONS, SHORT_DURATION, |i| {
        let mut mine: VecDeque<String> =
            codes.iter().skip(i).step_by(CONNECTIONS).cloned().collect();
        let basic = setup.basic.clone();
        move |_previous: Option<String>| {
            let code = mine.pop_front()?;
            Some(Call::token(
                format!(
                    "grant_type=authorization_code&code={code}&redirect_uri={}",
                    form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
                ),
                &basic,
            ))
        }
    })
    .await;
    report("impersonated authorization_code", &code_flow, signing);

    // Start, stop, start…: only the starts are measured (each is a full start: the guardrails,
    // the session bound anew).
    let cookies = setup.console_sessions(CONSOLE_SESSIONS).await;
    let olga = setup.olga.to_string();
    let starts = load(addr, CONSOLE_SESSIONS, SHORT_DURATION, |i| {
        let cookie = cookies[i].clone();
        let olga = olga.clone();
        let mut starting = true;
        move |_previous: Option<String>| {
            let headers = format!("Cookie: {cookie}\r\nSec-Fetch-Site: same-origin\r\n");
            let call = if starting {
                Call {
                    path: "/auth/impersonation/start".into(),
                    headers,
                    body: format!("user_id={olga}"),
                    measured: true,
                }
            } else {
                Call {
                    path: "/auth/impersonation/stop".into(),
                    headers,
                    body: String::new(),
                    measured: false,
                }
            };
            starting = !starting;
            Some(call)
        }
    })
    .await;
    report("Console Impersonate User (start)", &starts, 0.0);
}

struct Setup {
    engine: Engine,
    app: Application,
    basic: String,
    olga: UserId,
}

async fn session(engine: &Engine) -> NewSession {
    engine
        .sign_in(
            SignIn {
                organization: None,
                username: "admin",
                password: "bench-password-1",
                client_addr: "127.0.0.1",
                previous_token: None,
                answering: None,
                application: None,
                request: None,
            },
            SystemClock.now(),
        )
        .await
        .and_then(engine::sessions::SignInStep::session)
        .unwrap()
}

async fn console_admin(engine: &Engine, session: &NewSession) -> ConsoleAdmin {
    engine
        .sign_into_portal(&session.principal, CONSOLE_APP, SystemClock.now())
        .await
        .unwrap();
    engine.console_admin(&session.principal).await.unwrap()
}

impl Setup {
    /// The guide's business application set-up, and a user to impersonate.
    async fn new(engine: &Engine) -> Self {
        let now = SystemClock.now();
        let admin = console_admin(engine, &session(engine).await).await;
        let org = engine.root_org().await.unwrap();
        let grants = vec![
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::TokenExchange,
        ];
        let (app, secret) = engine
            .create_application(
                "bench",
                &org,
                NewApplication {
                    name: "Impersonation bench".into(),
                    description: String::new(),
                    client_type: ClientType::Confidential,
                    redirect_uris: vec![REDIRECT.into()],
                    post_logout_redirect_uris: vec![],
                    grant_types: grants.clone(),
                    access_url: String::new(),
                    authorized_scopes: vec![scopes::USER_IMPERSONATE.into()],
                },
                now,
            )
            .await
            .unwrap();
        engine
            .update_application_protocol(
                &admin,
                &app.id,
                ProtocolSettings {
                    redirect_uris: vec![REDIRECT.into()],
                    post_logout_redirect_uris: vec![],
                    grant_types: grants,
                    pkce_required: false,
                    access_token_lifetime: 3600,
                    refresh_token_lifetime: 86400,
                    id_token_lifetime: 3600,
                    subject_token_enabled: true,
                    subject_token_lifetime: 600,
                    refresh_grace_secs: 0,
                },
                now,
            )
            .await
            .unwrap();
        let app = engine
            .update_application_consent(&admin, &app.id, true, true, now)
            .await
            .unwrap();
        engine
            .create_role(
                "bench",
                &org,
                NewRole {
                    name: "Bench impersonation".into(),
                    audience: RoleAudience::Application(app.client_id.clone()),
                    permissions: vec![scopes::USER_IMPERSONATE.into()],
                    assign: vec!["admin".into()],
                },
                now,
            )
            .await
            .unwrap();
        let olga = engine
            .create_user(
                &admin,
                engine::users::NewUser {
                    username: "olga".into(),
                    email: "olga@example.com".into(),
                    given_name: "Olga".into(),
                    family_name: "P".into(),
                    password: "olga-password".into(),
                },
                now,
            )
            .await
            .unwrap()
            .id;
        let basic = format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{}", app.client_id, secret.unwrap().expose()))
        );
        Self {
            engine: engine.clone(),
            app,
            basic,
            olga,
        }
    }

    /// `n` subject tokens for Olga from one administrator session, and that session's ID token
    /// (the actor token of every exchange).
    async fn subject_tokens(&self, n: usize) -> (Vec<String>, String) {
        let admin = session(&self.engine).await;
        let params = AuthorizeParams {
            response_type: Some("id_token subject_token".into()),
            client_id: Some(self.app.client_id.clone()),
            redirect_uri: Some(REDIRECT.into()),
            scope: Some("internal_user_impersonate internal_login".into()),
            nonce: Some("bench".into()),
            requested_subject: Some(self.olga.to_string()),
            ..AuthorizeParams::default()
        };
        let req = self
            .engine
            .validate_authorization_request(&params)
            .await
            .unwrap();
        let mut tokens = Vec::with_capacity(n);
        let mut actor = String::new();
        for _ in 0..n {
            let step = self
                .engine
                .authorize(
                    &req,
                    Some(&admin.principal),
                    ConsentAnswer::NotAsked,
                    SystemClock.now(),
                )
                .await
                .unwrap();
            let AuthorizeStep::Redirect(location) = step else {
                panic!("no subject token: {step:?}")
            };
            let fragment = location.split_once('#').unwrap().1.to_owned();
            for (k, v) in form_urlencoded::parse(fragment.as_bytes()) {
                match k.as_ref() {
                    "subject_token" => tokens.push(v.into_owned()),
                    "id_token" => actor = v.into_owned(),
                    _ => {}
                }
            }
        }
        (tokens, actor)
    }

    /// `n` codes issued to an impersonation session (a second administrator session impersonating
    /// Olga), for the application; no `openid`, so each redemption signs one token.
    async fn impersonated_codes(&self, n: usize) -> Vec<String> {
        let admin_session = session(&self.engine).await;
        let admin = console_admin(&self.engine, &admin_session).await;
        self.engine
            .impersonate_from_console(
                &admin,
                &self.olga,
                &engine::impersonation::Justification::default(),
                SystemClock.now(),
            )
            .await
            .unwrap();
        let olga = self
            .engine
            .authenticate(admin_session.token.expose(), SystemClock.now())
            .await
            .unwrap();
        assert!(olga.actor().is_some());
        let params = AuthorizeParams {
            response_type: Some("code".into()),
            client_id: Some(self.app.client_id.clone()),
            redirect_uri: Some(REDIRECT.into()),
            scope: Some("internal_login".into()),
            ..AuthorizeParams::default()
        };
        let req = self
            .engine
            .validate_authorization_request(&params)
            .await
            .unwrap();
        let mut codes = Vec::with_capacity(n);
        for _ in 0..n {
            let step = self
                .engine
                .authorize(
                    &req,
                    Some(&olga),
                    ConsentAnswer::NotAsked,
                    SystemClock.now(),
                )
                .await
                .unwrap();
            let AuthorizeStep::Redirect(location) = step else {
                panic!("no code: {step:?}")
            };
            let query = location.split_once('?').unwrap().1.to_owned();
            let code = form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == "code")
                .unwrap()
                .1
                .into_owned();
            codes.push(code);
        }
        codes
    }

    /// `n` administrator browser sessions, as `Cookie` values.
    async fn console_sessions(&self, n: usize) -> Vec<String> {
        let mut cookies = Vec::with_capacity(n);
        for _ in 0..n {
            let s = session(&self.engine).await;
            cookies.push(format!("guise_session={}", s.token.expose()));
        }
        cookies
    }
}
