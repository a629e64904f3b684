//! Readiness: whether this node can answer requests that need its storage and its keys.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::Engine;

impl Engine {
    /// The database answers and this node has a key to sign with. Migrations ran before the node
    /// started serving (`Engine::open`), so a node that answers at all has them. Cheap: one
    /// trivial query, and the key set from the cache while it is fresh.
    pub async fn ready(&self, now: Timestamp) -> Result<()> {
        sqlx::query("SELECT 1").execute(self.db.pool()).await?;
        self.keys(now)
            .await?
            .current(now)
            .map(|_| ())
            .ok_or_else(|| Error::Internal("no signing key".into()))
    }
}
