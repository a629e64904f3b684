//! `POST /auth/login` and `POST /auth/logout`: the login page's form targets. They answer with
//! redirects, so signing in works in any browser, hydrated or not.

use crate::client_addr::ClientAddr;
use crate::state::AppState;
use app::api::server::session_token;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use engine::sessions::{NewSession, SignIn, SignInStep, SESSION_COOKIE};
use engine::users::UserStatus;
use engine::Error;
use http::{header, HeaderMap, HeaderValue};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    organization: String,
    username: String,
    password: String,
    #[serde(default)]
    return_to: String,
}

const DEFAULT_LANDING: &str = "/myaccount";

/// The application a sign-in is for, as the audit names it: the client of the authorization
/// request the login page will return to, or the portal it returns to.
fn application_of(return_to: &str) -> Option<String> {
    let return_to = if return_to.is_empty() {
        DEFAULT_LANDING
    } else {
        return_to
    };
    if return_to.starts_with(AUTHORIZE) {
        return authorize_param(return_to, "client_id");
    }
    let path = return_to.split('?').next()?;
    crate::guard::portal_of(path).map(|kind| {
        if kind == engine::access::CONSOLE_APP {
            "Console"
        } else {
            "My Account"
        }
        .to_owned()
    })
}

/// Where the authorization endpoint sends the browser to sign in from, with its request.
const AUTHORIZE: &str = "/oauth2/authorize?";

/// A parameter of the authorization request the login page will return to.
fn authorize_param(return_to: &str, name: &str) -> Option<String> {
    let query = return_to.strip_prefix(AUTHORIZE)?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(n, _)| n == name)
        .map(|(_, value)| value.into_owned())
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client_addr): ClientAddr,
    this: crate::correlation::ThisRequest,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let answering = reauthentication_of(&form.return_to);
    let application = application_of(&form.return_to);
    let attempt = SignIn {
        organization: Some(form.organization.as_str()),
        username: &form.username,
        password: &form.password,
        client_addr: &client_addr,
        previous_token: session_token(&headers),
        answering: answering.as_deref(),
        application: application.as_deref(),
        request: this.0,
    };
    match state.ctx.engine.sign_in(attempt, state.ctx.now()).await {
        Ok(SignInStep::Session(session)) => signed_in(&state, &session, &form.return_to),
        Ok(SignInStep::SecondFactor(due)) => {
            crate::login_second_step::ask_for_code(&state, &due, &form.return_to)
        }
        Err(e) => {
            let (code, retry) = match e {
                Error::InvalidCredentials => ("invalid_credentials", None),
                Error::AccountInactive(UserStatus::Locked) => ("locked", None),
                Error::AccountInactive(_) => ("disabled", None),
                Error::Throttled { retry_after_secs } => ("throttled", Some(retry_after_secs)),
                Error::Invalid(_) => ("unknown_organization", None),
                other => {
                    tracing::error!("sign-in failed: {other}");
                    ("server_error", None)
                }
            };
            back_to_login(code, retry, &form)
        }
    }
}

/// The redirect back to where the sign-in was for, with the new session's cookie.
pub(crate) fn signed_in(state: &AppState, session: &NewSession, return_to: &str) -> Response {
    let cookie = session_cookie(
        state,
        session.token.expose(),
        state.web.session_max_age_secs,
    );
    let mut response = Redirect::to(&safe_return_to(return_to)).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        match state.ctx.engine.sign_out(token, state.ctx.now()).await {
            // Signing out of someone one impersonates returns to one's own Console.
            Ok(engine::sessions::SignedOut::Impersonation) => {
                return Redirect::to("/console").into_response()
            }
            Ok(engine::sessions::SignedOut::Session) => {}
            Err(e) => tracing::error!("sign-out failed: {e}"),
        }
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&state));
    response
}

/// Expires the SSO session cookie in the browser.
pub fn clear_session_cookie(state: &AppState) -> HeaderValue {
    session_cookie(state, "", 0)
}

/// The SSO session's cookie: HttpOnly (scripts never see it), SameSite=Lax (sent on top-level
/// navigations from other sites, which OAuth redirects need, never on their sub-requests).
fn session_cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    cookie(state, SESSION_COOKIE, "/", value, max_age)
}

/// A cookie only the server reads (HttpOnly), sent on top-level navigations from other sites
/// (SameSite=Lax), Secure on https. A value that cannot be a header expires the cookie instead.
pub(crate) fn cookie(
    state: &AppState,
    name: &str,
    path: &str,
    value: &str,
    max_age: i64,
) -> HeaderValue {
    let secure = if state.web.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| {
        HeaderValue::from_str(&format!("{name}=; Path={path}; Max-Age=0"))
            .unwrap_or_else(|_| HeaderValue::from_static("guise_session=; Path=/; Max-Age=0"))
    })
}

/// The login page again, with the error and what the person typed (never the password).
pub(crate) fn back_to_login(code: &str, retry: Option<i64>, form: &LoginForm) -> Response {
    let retry = retry.map(|r| r.to_string());
    let mut params = vec![("error", code)];
    if let Some(r) = &retry {
        params.push(("retry_after", r));
    }
    params.push(("username", &form.username));
    if !form.organization.is_empty() {
        params.push(("organization", &form.organization));
    }
    back_to_login_page(&params, &form.return_to)
}

/// The login page with `params`, and the way back the sign-in is for.
pub(crate) fn back_to_login_page(params: &[(&str, &str)], return_to: &str) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        query.append_pair(name, value);
    }
    if !return_to.is_empty() {
        query.append_pair("return_to", return_to);
    }
    Redirect::to(&format!("/login?{}", query.finish())).into_response()
}

/// The re-authentication demand a sign-in answers: the authorization endpoint sends the browser here
/// with its way back, `/oauth2/authorize?…&guise_reauth=<id>`.
pub(crate) fn reauthentication_of(return_to: &str) -> Option<String> {
    authorize_param(return_to, "guise_reauth")
}

/// Only a path on this server: never another host (`//evil`, `/\evil`, `https://…`), no control
/// characters. Anything else lands on My Account.
pub fn safe_return_to(raw: &str) -> String {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.contains('\\')
        && !raw.chars().any(char::is_control)
        && raw.len() <= 8192;
    if ok {
        raw.to_owned()
    } else {
        DEFAULT_LANDING.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{application_of, reauthentication_of, safe_return_to};

    #[test]
    fn a_sign_in_names_the_application_it_returns_to() {
        assert_eq!(application_of("").as_deref(), Some("My Account"));
        assert_eq!(application_of("/console/users").as_deref(), Some("Console"));
        assert_eq!(
            application_of("/oauth2/authorize?response_type=code&client_id=abc123").as_deref(),
            Some("abc123")
        );
        assert_eq!(application_of("/elsewhere"), None);
    }

    #[test]
    fn the_sign_in_answers_the_demand_its_way_back_names() {
        assert_eq!(
            reauthentication_of("/oauth2/authorize?client_id=a&guise_reauth=r%2B1&prompt=login")
                .as_deref(),
            Some("r+1")
        );
        assert_eq!(reauthentication_of("/oauth2/authorize?client_id=a"), None);
        assert_eq!(reauthentication_of("/console?guise_reauth=x"), None);
    }

    #[test]
    fn return_to_stays_on_this_server() {
        assert_eq!(safe_return_to("/console/users?x=1"), "/console/users?x=1");
        for bad in [
            "",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/a\nb",
            "console",
        ] {
            assert_eq!(safe_return_to(bad), "/myaccount", "{bad:?}");
        }
    }
}
