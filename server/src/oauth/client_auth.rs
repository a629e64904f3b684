//! Client authentication at the token, introspection and revocation endpoints:
//! `client_secret_basic`, `client_secret_post`, or `client_id` alone for a public client.

use super::auth_header;
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use engine::applications::Application;
use engine::oauth::OAuthError;
use engine::Error;
use http::HeaderMap;
use std::collections::HashMap;

/// Who the request says it is.
#[derive(Debug, PartialEq, Eq)]
pub struct ClientCredentials {
    pub client_id: String,
    pub secret: Option<String>,
    /// Sent in the `Authorization` header (a failure then answers with a `Basic` challenge).
    pub basic: bool,
}

/// Reads the credentials; the form's `client_id`/`client_secret` are removed from `form`.
/// Using two methods at once is refused (RFC 6749 §2.3).
pub fn credentials(
    headers: &HeaderMap,
    form: &mut HashMap<String, String>,
) -> Result<ClientCredentials, OAuthError> {
    let post_id = form.remove("client_id");
    let post_secret = form.remove("client_secret");
    let basic = auth_header::credentials(headers, "Basic");
    match basic {
        Some(encoded) => {
            if post_secret.is_some() {
                return Err(OAuthError::invalid_request(
                    "Use one client authentication method, not two.",
                ));
            }
            let bad = || OAuthError::invalid_client("The Authorization header is malformed.");
            let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
            let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
            let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
            // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
            let id = urldecode(id).ok_or_else(bad)?;
            let secret = urldecode(secret).ok_or_else(bad)?;
            if post_id.as_deref().is_some_and(|p| p != id) {
                return Err(OAuthError::invalid_request(
                    "client_id does not match the Authorization header.",
                ));
            }
            Ok(ClientCredentials {
                client_id: id,
                secret: Some(secret),
                basic: true,
            })
        }
        None => match post_id.filter(|id| !id.is_empty()) {
            Some(id) => Ok(ClientCredentials {
                client_id: id,
                secret: post_secret,
                basic: false,
            }),
            None => Err(OAuthError::invalid_client(
                "Client authentication is required.",
            )),
        },
    }
}

fn urldecode(s: &str) -> Option<String> {
    let wrapped = format!("v={s}");
    form_urlencoded::parse(wrapped.as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
}

/// Authenticates the client named by `creds`.
pub async fn authenticate(
    state: &AppState,
    creds: &ClientCredentials,
) -> Result<Application, OAuthError> {
    match state
        .ctx
        .engine
        .authenticate_client(&creds.client_id, creds.secret.as_deref())
        .await
    {
        Ok(app) => Ok(app),
        Err(Error::InvalidCredentials) => {
            Err(OAuthError::invalid_client("Client authentication failed."))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header;

    fn basic(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            format!("Basic {}", STANDARD.encode(v)).parse().unwrap(),
        );
        h
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let mut form = HashMap::new();
        let c = credentials(&basic("my%20app:s%3Acret"), &mut form).unwrap();
        assert_eq!(c.client_id, "my app");
        assert_eq!(c.secret.as_deref(), Some("s:cret"));
        assert!(c.basic);
    }

    #[test]
    fn two_methods_or_none_are_refused() {
        let mut form = HashMap::from([("client_secret".to_owned(), "x".to_owned())]);
        assert_eq!(
            credentials(&basic("a:b"), &mut form).unwrap_err().code,
            "invalid_request"
        );
        assert_eq!(
            credentials(&HeaderMap::new(), &mut HashMap::new())
                .unwrap_err()
                .code,
            "invalid_client"
        );
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, "Basic !!!".parse().unwrap());
        assert_eq!(
            credentials(&h, &mut HashMap::new()).unwrap_err().code,
            "invalid_client"
        );
    }
}
