//! Keeps the audit log file caught up with the trail: every second, and once at start (which is
//! also how a crash is repaired: see `engine::audit::file`).

use engine::Engine;
use std::path::PathBuf;
use std::time::Duration;

pub fn spawn_projection(engine: Engine, log: PathBuf) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            every.tick().await;
            match engine.project_audit_log(&log).await {
                Ok(_) if failing => {
                    tracing::info!("the audit log file {} is caught up again", log.display());
                    failing = false;
                }
                Ok(_) => {}
                // Said once, not every second; the trail in the database is whole meanwhile.
                Err(e) if !failing => {
                    tracing::error!("writing the audit log file {}: {e}", log.display());
                    failing = true;
                }
                Err(_) => {}
            }
        }
    });
}
