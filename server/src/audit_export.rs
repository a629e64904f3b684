//! `GET /console/logs/export?…`: the Logs page's filtered view as JSON lines, oldest first,
//! streamed a batch at a time (an export of millions of events never sits in memory). The
//! Console session's administrator needs `internal_audit_log_view`.

use crate::state::AppState;
use app::api::server::session_caller;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::Permission;
use engine::audit::query::{export_line, LogFilter, LogFilterForm};
use engine::ConsoleAdmin;
use futures_util::stream;
use http::{header, HeaderMap, StatusCode};

pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(form): Query<LogFilterForm>,
) -> Response {
    let engine = state.ctx.engine.clone();
    let now = state.ctx.now();
    let admin = match session_caller(&engine, &headers, None, None, now).await {
        Ok(Some(principal)) => engine.console_admin(&principal).await,
        Ok(None) => Err(engine::Error::Unauthenticated),
        Err(e) => Err(e),
    };
    let admin = match admin {
        Ok(admin) if admin.has(Permission::AuditLogView) => admin,
        Ok(_) | Err(engine::Error::Forbidden(_) | engine::Error::NotAdministrator) => {
            return plain(
                StatusCode::FORBIDDEN,
                "You need permission to view the audit logs.",
            )
        }
        Err(engine::Error::Unauthenticated) => {
            return Redirect::to("/login?return_to=%2Fconsole%2Flogs").into_response()
        }
        Err(e) => return crate::guard::unavailable(&e),
    };
    let filter = match form.parse() {
        Ok(filter) => filter,
        Err(engine::Error::Invalid(fields)) => {
            let why: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect();
            return plain(StatusCode::BAD_REQUEST, &why.join("\n"));
        }
        Err(e) => return crate::guard::unavailable(&e),
    };
    // Fused: polled again after its end (as the compression layer does), it ends again.
    let batches = stream::unfold(Some((engine, admin, filter, 0_i64)), next_batch);
    let body = Body::from_stream(futures_util::StreamExt::fuse(batches));
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"guise-audit-log.jsonl\"",
            ),
        ],
        body,
    )
        .into_response()
}

type Cursor = (engine::Engine, ConsoleAdmin, LogFilter, i64);

/// The next batch of lines after the cursor's sequence number; the stream ends after the last
/// batch (or with an error, which cuts the download short rather than pretending it is whole).
async fn next_batch(
    cursor: Option<Cursor>,
) -> Option<(Result<String, std::io::Error>, Option<Cursor>)> {
    let (engine, admin, filter, after) = cursor?;
    match engine.audit_log_export_batch(&admin, &filter, after).await {
        Ok(events) if events.is_empty() => None,
        Ok(events) => {
            let last = events.last().map_or(after, |e| e.seq);
            let mut text = String::new();
            for event in &events {
                text.push_str(&export_line(event));
                text.push('\n');
            }
            Some((Ok(text), Some((engine, admin, filter, last))))
        }
        Err(e) => {
            tracing::error!("exporting the audit log: {e}");
            Some((Err(std::io::Error::other("the export failed")), None))
        }
    }
}

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.to_owned(),
    )
        .into_response()
}
