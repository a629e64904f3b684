//! What every handler can reach.

use crate::config::Config;
use app::api::server::ServerContext;
use axum::extract::FromRef;
use engine::{Clock, Engine};
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub ctx: ServerContext,
    pub leptos_options: LeptosOptions,
    pub web: Arc<WebSettings>,
    /// Set when the node is stopping: readiness fails, so load balancers send it nothing new,
    /// while it still answers what reaches it (see [`crate::health`]).
    pub draining: Arc<std::sync::atomic::AtomicBool>,
}

/// Settings of the HTTP layer.
pub struct WebSettings {
    pub public_origin: String,
    /// The public URL, without a trailing slash: the base of every absolute URL we publish.
    pub public_base: String,
    /// Cookies get `Secure` when the public URL is https.
    pub secure_cookies: bool,
    pub session_max_age_secs: i64,
    pub trusted_proxies: crate::client_addr::TrustedProxies,
    pub metrics: crate::metrics_endpoint::MetricsAccess,
}

impl AppState {
    pub fn new(
        engine: Engine,
        clock: Arc<dyn Clock>,
        leptos_options: LeptosOptions,
        config: &Config,
    ) -> Self {
        Self {
            ctx: ServerContext { engine, clock },
            leptos_options,
            web: Arc::new(WebSettings {
                public_origin: config.public_origin(),
                public_base: config.public_url.clone(),
                secure_cookies: config.public_url.starts_with("https://"),
                session_max_age_secs: config.session_hours * 3600,
                trusted_proxies: config.trusted_proxies.clone(),
                metrics: config.metrics.clone(),
            }),
            draining: Arc::default(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
