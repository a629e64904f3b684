//! `POST /auth/login/code`: a sign-in's second step. After a right password, a user with a second
//! factor is sent back to the login page to type a code; the challenge travels in a cookie only
//! this form target receives (never in an address, where logs and referrers would keep it).

use crate::client_addr::ClientAddr;
use crate::login::{back_to_login_page, cookie, signed_in};
use crate::state::AppState;
use app::api::server::{cookie as cookie_value, session_token};
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use engine::factors::challenge::SecondFactorDue;
use engine::factors::challenge::CHALLENGE_SECS;
use engine::factors::sign_in::SecondStep;
use engine::users::UserStatus;
use engine::Error;
use http::{header, HeaderMap};
use serde::Deserialize;

/// The cookie that holds a sign-in's challenge, and the one path it is sent to.
const CHALLENGE_COOKIE: &str = "guise_sign_in";
const CHALLENGE_PATH: &str = "/auth/login/code";

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
    #[serde(default)]
    return_to: String,
}

/// The login page again, asking for the code, with the challenge in its cookie.
pub(crate) fn ask_for_code(state: &AppState, due: &SecondFactorDue, return_to: &str) -> Response {
    let mut response = back_to_login_page(&[("step", "code")], return_to);
    let challenge = cookie(
        state,
        CHALLENGE_COOKIE,
        CHALLENGE_PATH,
        due.token.expose(),
        CHALLENGE_SECS,
    );
    response.headers_mut().append(header::SET_COOKIE, challenge);
    response
}

pub async fn login_code(
    State(state): State<AppState>,
    ClientAddr(client_addr): ClientAddr,
    this: crate::correlation::ThisRequest,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let Some(challenge) = cookie_value(&headers, CHALLENGE_COOKIE) else {
        return back_to_login_page(&[("error", "sign_in_expired")], &form.return_to);
    };
    let step = SecondStep {
        challenge,
        code: &form.code,
        client_addr: &client_addr,
        previous_token: session_token(&headers),
        request: this.0,
    };
    let mut answer = match state
        .ctx
        .engine
        .complete_sign_in(step, state.ctx.now())
        .await
    {
        Ok(session) => signed_in(&state, &session, &form.return_to),
        Err(Error::Invalid(_)) => {
            // The challenge stays: the user types the code again.
            return back_to_login_page(
                &[("step", "code"), ("error", "invalid_code")],
                &form.return_to,
            );
        }
        Err(Error::Throttled { retry_after_secs }) => {
            let retry = retry_after_secs.to_string();
            return back_to_login_page(
                &[
                    ("step", "code"),
                    ("error", "throttled"),
                    ("retry_after", &retry),
                ],
                &form.return_to,
            );
        }
        Err(Error::Unauthenticated) => {
            back_to_login_page(&[("error", "sign_in_expired")], &form.return_to)
        }
        Err(Error::AccountInactive(UserStatus::Locked)) => {
            back_to_login_page(&[("error", "locked")], &form.return_to)
        }
        Err(Error::AccountInactive(_)) => {
            back_to_login_page(&[("error", "disabled")], &form.return_to)
        }
        Err(other) => {
            tracing::error!("sign-in's second step failed: {other}");
            return back_to_login_page(
                &[("step", "code"), ("error", "server_error")],
                &form.return_to,
            );
        }
    };
    // Spent or dead: the browser forgets it.
    answer.headers_mut().append(
        header::SET_COOKIE,
        cookie(&state, CHALLENGE_COOKIE, CHALLENGE_PATH, "", 0),
    );
    answer
}
