//! What every handler shares: the configuration, the sessions and the provider's metadata.

use crate::config::Config;
use crate::oidc::{self, Discovery};
use crate::sessions::Sessions;
use std::ops::Deref;
use std::sync::Arc;
use tokio::sync::OnceCell;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub config: Config,
    pub sessions: Sessions,
    discovery: OnceCell<Discovery>,
}

impl AppState {
    pub fn new(config: Config) -> Self {
        Self(Arc::new(Shared {
            config,
            sessions: Sessions::default(),
            discovery: OnceCell::new(),
        }))
    }

    /// The provider's metadata, read on first use (so the sample may start before Guise) and
    /// kept once read.
    pub async fn discovery(&self) -> Result<&Discovery, String> {
        self.0
            .discovery
            .get_or_try_init(|| oidc::discover(&self.0.config))
            .await
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
