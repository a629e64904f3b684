//! A sample business application: an OpenID Connect relying party of Guise, to try the
//! user-impersonation guide with. It signs users in (authorization code + PKCE), shows who is
//! signed in and, under impersonation, who really acts (the `act` claim), and reads and changes
//! the user's country through Guise's SCIM `/scim2/Me` with the access token.
//!
//! ```sh
//! SAMPLE_CLIENT_ID=… [SAMPLE_CLIENT_SECRET=…] [GUISE_URL=http://127.0.0.1:3000] \
//!     [SAMPLE_ADDR=127.0.0.1:3100] cargo run -p server --example sample_app
//! ```
//!
//! Register it in Guise with the redirect URI `http://{SAMPLE_ADDR}/callback` and the
//! post-logout redirect URI `http://{SAMPLE_ADDR}/` (README, "Try the guide with the sample
//! application"). It speaks plain HTTP only and keeps its sessions in memory: a sample, not a
//! template for production.

mod config;
mod http_client;
mod id_token;
mod oidc;
mod pages;
mod routes;
mod scim;
mod sessions;
mod state;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match config::Config::from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("sample app: {message}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("sample app: cannot listen on {}: {e}", config.addr);
            return ExitCode::FAILURE;
        }
    };
    let base_url = config.base_url.clone();
    let app = routes::router(state::AppState::new(config));
    println!("sample app listening on {base_url}");
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sample app: {e}");
            ExitCode::FAILURE
        }
    }
}
