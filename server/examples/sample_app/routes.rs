//! The sample's pages: `/` (who is signed in, on whose behalf, their country), `/login` and
//! `/callback` (the OpenID Connect sign-in), `/country` (changes the country through SCIM) and
//! `/logout` (RP-initiated logout).

use crate::id_token;
use crate::oidc::{self, random_token, PendingLogin};
use crate::pages;
use crate::scim;
use crate::sessions::{self, Notice, SignedIn};
use crate::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/country", post(change_country))
        .route("/logout", get(logout))
        .with_state(state)
}

/// A failure, answered with an error page.
struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        pages::error(self.0, &self.1)
    }
}

fn bad_request(message: impl Into<String>) -> Failure {
    Failure(StatusCode::BAD_REQUEST, message.into())
}

/// Guise could not be reached, or answered something the sample cannot accept.
fn bad_gateway(message: impl Into<String>) -> Failure {
    Failure(StatusCode::BAD_GATEWAY, message.into())
}

fn internal(message: String) -> Failure {
    Failure(StatusCode::INTERNAL_SERVER_ERROR, message)
}

fn with_cookie(mut response: Response, id: &str) -> Response {
    if let Some(cookie) = sessions::set_cookie(id) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((id, mut session)) = state.sessions.find(&headers) else {
        return pages::signed_out();
    };
    let Some(user) = session.signed_in.clone() else {
        return pages::signed_out();
    };
    let notice = session.notice.take();
    let form_token = session.form_token.clone();
    if notice.is_some() {
        state.sessions.save(id, session);
    }
    let country = scim::my_country(&state.config.guise_url, &user.access_token).await;
    pages::signed_in(&user, &country, notice.as_ref(), &form_token)
}

/// Starts the authorization code flow with PKCE (S256), `state` and `nonce`.
async fn login(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Failure> {
    let discovery = state.discovery().await.map_err(bad_gateway)?;
    let (id, mut session, new) = state.sessions.find_or_start(&headers).map_err(internal)?;
    let pending = PendingLogin::new().map_err(internal)?;
    let url = pending
        .authorization_url(discovery, &state.config)
        .map_err(bad_gateway)?;
    session.pending = Some(pending);
    state.sessions.save(id.clone(), session);
    let response = Redirect::to(&url).into_response();
    Ok(if new {
        with_cookie(response, &id)
    } else {
        response
    })
}

#[derive(Deserialize)]
struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Guise's answer: checks it belongs to this browser's sign-in, redeems the code and verifies
/// the ID token, then keeps the tokens in a fresh session.
async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<CallbackParams>,
) -> Result<Response, Failure> {
    let (old_id, mut session) = state.sessions.find(&headers).ok_or_else(|| {
        bad_request(
            "This sign-in did not start in this browser (or the sample restarted). Sign in again.",
        )
    })?;
    // Single use, whatever happens next.
    let pending = session
        .pending
        .take()
        .ok_or_else(|| bad_request("No sign-in is in progress. Sign in again."))?;
    state.sessions.save(old_id.clone(), session.clone());
    if params.state.as_deref() != Some(pending.state.as_str()) {
        return Err(bad_request(
            "The answer does not belong to this browser's sign-in (state). Sign in again.",
        ));
    }
    let discovery = state.discovery().await.map_err(bad_gateway)?;
    // RFC 9207: the answer names the issuer that sent it.
    if params
        .iss
        .as_deref()
        .is_some_and(|iss| iss != discovery.issuer)
    {
        return Err(bad_request("The answer came from another issuer."));
    }
    if let Some(error) = &params.error {
        let description = params.error_description.as_deref().unwrap_or_default();
        return Err(bad_request(format!(
            "Guise did not sign you in: {error}. {description}"
        )));
    }
    let code = params
        .code
        .as_deref()
        .ok_or_else(|| bad_request("The answer carries no authorization code."))?;
    let config = &state.config;
    let tokens = oidc::redeem(discovery, config, code, &pending.verifier)
        .await
        .map_err(bad_gateway)?;
    let id_token = tokens
        .id_token
        .ok_or_else(|| bad_gateway("The token response carries no ID token."))?;
    let keys = id_token::keys(discovery).await.map_err(bad_gateway)?;
    let claims = id_token::verify(&id_token, &keys, &discovery.issuer, &config.client_id)
        .map_err(|e| bad_gateway(format!("The ID token was {e}")))?;
    if claims.nonce.as_deref() != Some(pending.nonce.as_str()) {
        return Err(bad_gateway("The ID token's nonce is not this sign-in's."));
    }
    // Guise's access tokens are JWTs for this client too (RFC 9068): under impersonation they
    // carry `act`, whoever really acts.
    let access = id_token::verify(
        &tokens.access_token,
        &keys,
        &discovery.issuer,
        &config.client_id,
    )
    .map_err(|e| bad_gateway(format!("The access token was {e}")))?;
    if access.sub != claims.sub {
        return Err(bad_gateway(
            "The access token is for someone else than the ID token.",
        ));
    }
    let organization = access.org_name.clone();
    let actor = access.act.or(claims.act).map(|a| a.sub);
    session.signed_in = Some(SignedIn {
        access_token: tokens.access_token,
        id_token,
        sub: claims.sub,
        username: claims.preferred_username,
        actor,
        organization,
    });
    // A new session id for the signed-in session: an id someone planted before is worth nothing.
    let id = random_token().map_err(internal)?;
    state.sessions.remove(&old_id);
    state.sessions.save(id.clone(), session);
    Ok(with_cookie(Redirect::to("/").into_response(), &id))
}

#[derive(Deserialize)]
struct CountryForm {
    form_token: String,
    country: String,
}

/// Changes the user's country with `PATCH /scim2/Me`, then shows the result on `/`.
async fn change_country(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CountryForm>,
) -> Result<Response, Failure> {
    let (id, mut session) = state
        .sessions
        .find(&headers)
        .ok_or_else(|| bad_request("You are not signed in."))?;
    let user = session
        .signed_in
        .clone()
        .ok_or_else(|| bad_request("You are not signed in."))?;
    if form.form_token != session.form_token {
        return Err(Failure(
            StatusCode::FORBIDDEN,
            "The form did not come from this page.".into(),
        ));
    }
    let result =
        scim::set_my_country(&state.config.guise_url, &user.access_token, &form.country).await;
    session.notice = Some(match result {
        Ok(country) if country.is_empty() => Notice::Saved("Your country was removed.".into()),
        Ok(country) => Notice::Saved(format!("Your country was changed to {country}.")),
        Err(detail) => Notice::Failed(detail),
    });
    state.sessions.save(id, session);
    Ok(Redirect::to("/").into_response())
}

/// Forgets the session here, then lets Guise end its own (RP-initiated logout).
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Failure> {
    let signed_in = match state.sessions.find(&headers) {
        Some((id, session)) => {
            state.sessions.remove(&id);
            session.signed_in
        }
        None => None,
    };
    let to = match signed_in {
        Some(user) => {
            let discovery = state.discovery().await.map_err(bad_gateway)?;
            oidc::logout_url(discovery, &state.config, &user.id_token).map_err(bad_gateway)?
        }
        None => "/".to_owned(),
    };
    let mut response = Redirect::to(&to).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, sessions::clear_cookie());
    Ok(response)
}
