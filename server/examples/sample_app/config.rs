//! Configuration, from the environment.

use std::fmt;
use std::net::SocketAddr;

/// What the sample needs to know, read once at start.
pub struct Config {
    /// Guise's base URL, without a trailing slash (`GUISE_URL`).
    pub guise_url: String,
    /// The client ID Guise gave the application when it was registered (`SAMPLE_CLIENT_ID`).
    pub client_id: String,
    /// Absent for a public client, which proves itself with PKCE alone (`SAMPLE_CLIENT_SECRET`).
    pub client_secret: Option<ClientSecret>,
    /// Where to listen (`SAMPLE_ADDR`).
    pub addr: SocketAddr,
    /// `http://` and the listen address as given: the base of the URIs registered in Guise.
    pub base_url: String,
}

/// The client secret; its `Debug` never shows the value.
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(…)")
    }
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let guise_url = var("GUISE_URL")
            .unwrap_or_else(|| "http://127.0.0.1:3000".into())
            .trim_end_matches('/')
            .to_owned();
        if !guise_url.starts_with("http://") {
            return Err(format!(
                "GUISE_URL {guise_url:?} must start with http:// (this sample speaks plain HTTP only)"
            ));
        }
        let client_id = var("SAMPLE_CLIENT_ID").ok_or(
            "SAMPLE_CLIENT_ID is not set: register the sample application in Guise and set it to \
             the application's client ID",
        )?;
        let client_secret = var("SAMPLE_CLIENT_SECRET").map(ClientSecret);
        let listen = var("SAMPLE_ADDR").unwrap_or_else(|| "127.0.0.1:3100".into());
        let addr = listen.parse().map_err(|_| {
            format!("SAMPLE_ADDR {listen:?} is not an address and port like 127.0.0.1:3100")
        })?;
        Ok(Self {
            guise_url,
            client_id,
            client_secret,
            addr,
            base_url: format!("http://{listen}"),
        })
    }

    /// The redirect URI to register in Guise.
    pub fn redirect_uri(&self) -> String {
        format!("{}/callback", self.base_url)
    }

    /// The post-logout redirect URI to register in Guise.
    pub fn post_logout_redirect_uri(&self) -> String {
        format!("{}/", self.base_url)
    }
}
