//! The OpenID Connect flow against Guise: discovery, the authorization request (code + PKCE
//! S256, `state`, `nonce`) and the code's redemption at the token endpoint.

use crate::config::Config;
use crate::http_client::{self, Request};
use aws_lc_rs::digest;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde::Deserialize;

/// The scopes the sample asks for: `internal_login` lets it use `/scim2/Me`.
pub const SCOPE: &str = "openid profile internal_login";

/// What the sample uses of the provider's metadata.
#[derive(Clone, Debug, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    pub end_session_endpoint: Option<String>,
}

/// Reads `{GUISE_URL}/.well-known/openid-configuration`.
pub async fn discover(config: &Config) -> Result<Discovery, String> {
    let url = format!("{}/.well-known/openid-configuration", config.guise_url);
    let response = http_client::send(Request::get(&url)).await?;
    if !response.is_success() {
        return Err(format!("{url} answered {}", response.status));
    }
    serde_json::from_slice(&response.body)
        .map_err(|e| format!("{url} is not OpenID Provider metadata: {e}"))
}

/// A random value of 32 bytes, base64url (for `state`, `nonce`, the PKCE verifier, cookies).
pub fn random_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| "no randomness available".to_owned())?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the sample keeps between sending the browser to Guise and its return.
#[derive(Clone)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

impl PendingLogin {
    pub fn new() -> Result<Self, String> {
        Ok(Self {
            state: random_token()?,
            nonce: random_token()?,
            verifier: random_token()?,
        })
    }

    /// The authorization request to send the browser to.
    pub fn authorization_url(
        &self,
        discovery: &Discovery,
        config: &Config,
    ) -> Result<String, String> {
        let challenge =
            URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, self.verifier.as_bytes()));
        let mut url = url::Url::parse(&discovery.authorization_endpoint)
            .map_err(|e| format!("the authorization endpoint is not a URL: {e}"))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &config.client_id)
            .append_pair("redirect_uri", &config.redirect_uri())
            .append_pair("scope", SCOPE)
            .append_pair("state", &self.state)
            .append_pair("nonce", &self.nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }
}

/// The tokens the code is redeemed for.
#[derive(Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub id_token: Option<String>,
}

/// Redeems the authorization code: HTTP Basic client authentication when the sample has a secret,
/// else (a public client) its `client_id` in the form; PKCE's verifier either way.
pub async fn redeem(
    discovery: &Discovery,
    config: &Config,
    code: &str,
    verifier: &str,
) -> Result<Tokens, String> {
    let form = token_form(config, code, verifier);
    let mut request = Request::with_body(
        "POST",
        &discovery.token_endpoint,
        "application/x-www-form-urlencoded",
        form.into_bytes(),
    )
    .header("Accept", "application/json");
    if let Some(secret) = &config.client_secret {
        // RFC 6749 §2.3.1: each part form-encoded, then joined and base64-encoded.
        let encode =
            |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let credentials = format!("{}:{}", encode(&config.client_id), encode(secret.expose()));
        request = request.header(
            "Authorization",
            format!("Basic {}", STANDARD.encode(credentials)),
        );
    }
    let response = http_client::send(request).await?;
    let body = response.json()?;
    if !response.is_success() {
        let error = body["error"].as_str().unwrap_or("unknown_error");
        let description = body["error_description"].as_str().unwrap_or_default();
        return Err(format!(
            "The token endpoint refused the code: {error} {description}"
        ));
    }
    serde_json::from_value(body).map_err(|e| format!("The token response is malformed: {e}"))
}

/// The token request's form; a public client names itself in it.
fn token_form(config: &Config, code: &str, verifier: &str) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", &config.redirect_uri())
        .append_pair("code_verifier", verifier);
    if config.client_secret.is_none() {
        form.append_pair("client_id", &config.client_id);
    }
    form.finish()
}

/// RP-initiated logout: where to send the browser so that Guise ends its session too.
pub fn logout_url(
    discovery: &Discovery,
    config: &Config,
    id_token: &str,
) -> Result<String, String> {
    let endpoint = discovery
        .end_session_endpoint
        .as_deref()
        .ok_or("The provider publishes no end_session_endpoint.")?;
    let mut url = url::Url::parse(endpoint).map_err(|e| format!("end_session_endpoint: {e}"))?;
    url.query_pairs_mut()
        .append_pair("id_token_hint", id_token)
        .append_pair(
            "post_logout_redirect_uri",
            &config.post_logout_redirect_uri(),
        )
        .append_pair("client_id", &config.client_id);
    Ok(url.into())
}
