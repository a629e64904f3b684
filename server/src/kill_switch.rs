//! `/api/server/v1/impersonation-sessions`: the impersonation kill switch over REST, bearer-
//! authorized like the settings API, with a scope of its own (`internal_impersonation_kill_switch`).
//!
//! - `GET` the switch: `{"paused", "pausedAt", "pausedBy", "pausedFromRoot", "live", "everyOrganization"}`;
//! - `DELETE` ends every live impersonation it reaches: `{"ended": n}`;
//! - `PUT …/pause` pauses impersonation (ending what runs), `DELETE …/pause` resumes it; both
//!   answer with the switch.
//!
//! In the root organization the switch reaches every organization.

use crate::configs::{ApiError, Caller};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use engine::impersonation::KillSwitch;
use serde_json::{json, Value};

pub const PATH: &str = "/api/server/v1/impersonation-sessions";
pub const PAUSE_PATH: &str = "/api/server/v1/impersonation-sessions/pause";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PATH, get(read).delete(end_all))
        .route(PAUSE_PATH, put(pause).delete(resume))
}

fn body(switch: &KillSwitch) -> Json<Value> {
    Json(json!({
        "paused": switch.paused(),
        "pausedAt": switch.paused_at.map(|t| t.to_rfc3339()),
        "pausedBy": switch.paused_by,
        "pausedFromRoot": switch.paused_from_root,
        "live": switch.live,
        "everyOrganization": switch.everywhere,
    }))
}

async fn read(
    State(state): State<AppState>,
    Caller(admin): Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(body(
        &state
            .ctx
            .engine
            .kill_switch(&admin, state.ctx.now())
            .await?,
    ))
}

async fn end_all(
    State(state): State<AppState>,
    Caller(admin): Caller,
) -> Result<Json<Value>, ApiError> {
    let ended = state
        .ctx
        .engine
        .end_all_impersonations(&admin, state.ctx.now())
        .await?;
    Ok(Json(json!({ "ended": ended })))
}

async fn pause(state: State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    set_paused(state, caller, true).await
}

async fn resume(state: State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    set_paused(state, caller, false).await
}

async fn set_paused(
    State(state): State<AppState>,
    Caller(admin): Caller,
    paused: bool,
) -> Result<Json<Value>, ApiError> {
    let engine = &state.ctx.engine;
    Ok(body(
        &engine
            .set_impersonation_paused(&admin, paused, state.ctx.now())
            .await?,
    ))
}
