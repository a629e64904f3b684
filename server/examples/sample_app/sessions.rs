//! Server-side sessions, in memory, keyed by a random cookie.
//!
//! This is a sample: the sessions live in this process only (a restart signs everyone out), are
//! never swept, and the tokens are kept as they came. A real application stores sessions with an
//! expiry and refreshes or drops tokens when they expire.

use crate::oidc::{random_token, PendingLogin};
use http::{header, HeaderMap, HeaderValue};
use std::collections::HashMap;
use std::sync::Mutex;

pub const COOKIE: &str = "sample_session";

/// One browser's state.
#[derive(Clone)]
pub struct Session {
    /// Set between `/login` and `/callback`.
    pub pending: Option<PendingLogin>,
    pub signed_in: Option<SignedIn>,
    /// Sent back by the country form, so another site cannot post it in the user's name.
    pub form_token: String,
    /// A one-time message for the next page (the result of changing the country).
    pub notice: Option<Notice>,
}

/// The signed-in user, from the verified ID token (and access token).
#[derive(Clone)]
pub struct SignedIn {
    pub access_token: String,
    pub id_token: String,
    pub sub: String,
    pub username: Option<String>,
    /// The `sub` of whoever acts on the user's behalf (the `act` claim), if anyone.
    pub actor: Option<String>,
    /// The organization the user signed in to (the access token's `org_name`).
    pub organization: Option<String>,
}

#[derive(Clone)]
pub enum Notice {
    Saved(String),
    Failed(String),
}

#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, Session>>);

impl Sessions {
    /// The session the request's cookie names, if we know it.
    pub fn find(&self, headers: &HeaderMap) -> Option<(String, Session)> {
        let id = cookie(headers)?;
        let sessions = self.0.lock().ok()?;
        sessions.get(&id).map(|s| (id.clone(), s.clone()))
    }

    /// The request's session, or a new one (whose id must then be set as the cookie).
    pub fn find_or_start(&self, headers: &HeaderMap) -> Result<(String, Session, bool), String> {
        if let Some((id, session)) = self.find(headers) {
            return Ok((id, session, false));
        }
        let session = Session {
            pending: None,
            signed_in: None,
            form_token: random_token()?,
            notice: None,
        };
        Ok((random_token()?, session, true))
    }

    pub fn save(&self, id: String, session: Session) {
        if let Ok(mut sessions) = self.0.lock() {
            sessions.insert(id, session);
        }
    }

    pub fn remove(&self, id: &str) {
        if let Ok(mut sessions) = self.0.lock() {
            sessions.remove(id);
        }
    }
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The session cookie: HttpOnly, and SameSite=Lax so that the browser sends it on the way back
/// from Guise (a top-level GET) but not with another site's form posts.
pub fn set_cookie(id: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax")).ok()
}

pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("sample_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}
