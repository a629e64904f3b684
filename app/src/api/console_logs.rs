//! The Console's **Logs**: the audit trail, filtered and paged, and **Verify integrity**. The
//! export of the filtered view is a plain download (`/console/logs/export`), not a server function.

use crate::model::{AppError, IntegrityReport, LogQuery, LogsPage};
use leptos::prelude::*;

/// One page of events, newest first, older than `before` (the first page: `None`). Needs
/// `internal_audit_log_view`.
#[server(endpoint = "search_logs")]
pub async fn search_logs(query: LogQuery, before: Option<i64>) -> Result<LogsPage, AppError> {
    use super::server::{console_admin, to_app_error};
    use crate::model::time::utc_date_time_seconds;
    use crate::model::{LogParty, LogRow};
    use engine::audit::query::LogFilterForm;
    let (ctx, admin) = console_admin().await?;
    let filter = LogFilterForm {
        from: query.from,
        until: query.until,
        action: query.action,
        initiator: query.initiator,
        target: query.target,
        impersonated: query.impersonated,
    }
    .parse()
    .map_err(to_app_error)?;
    let page = ctx
        .engine
        .audit_log_page(&admin, &filter, before, 25)
        .await
        .map_err(to_app_error)?;
    let party = |id: String| {
        let named = page.names.get(&id);
        LogParty {
            name: named.map(|n| n.name.clone()),
            kind: named.map(|n| n.kind.to_owned()),
            id,
        }
    };
    Ok(LogsPage {
        rows: page
            .events
            .into_iter()
            .map(|e| LogRow {
                seq: e.seq,
                time: utc_date_time_seconds(e.content.occurred_ms.div_euclid(1000)),
                correlation_id: e.content.correlation_id,
                initiator: party(e.content.initiator),
                impersonator: e.content.impersonator.map(party),
                action: e.content.action,
                target: party(e.content.target),
                outcome: e.content.outcome,
                line: e.line,
            })
            .collect(),
        next_before: page.next_before,
        actions: engine::audit::actions::ALL
            .iter()
            .map(|a| (*a).to_owned())
            .collect(),
    })
}

/// **Verify integrity**: walks the whole chain and names the first broken event. Needs
/// `internal_audit_log_view`.
#[server(endpoint = "verify_audit_trail")]
pub async fn verify_audit_trail() -> Result<IntegrityReport, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let report = ctx
        .engine
        .verify_audit_trail(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(IntegrityReport {
        intact: report.is_intact(),
        summary: report.summary(),
    })
}
