//! The Email Outbox: what was sent and what waits. Each function names the scope it needs; the
//! engine checks it.

use crate::model::{AppError, OutboxDetail, OutboxItem, Paged};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub const PAGE_SIZE: u32 = 20;

#[cfg(feature = "ssr")]
fn item(e: engine::notifications::OutboxEntry) -> OutboxItem {
    OutboxItem {
        id: e.id,
        template_type: e.kind,
        recipient: e.recipient,
        subject: e.subject,
        status: e.status.as_str().to_owned(),
        attempts: e.attempts,
        created_at: e.created_at.0,
        next_attempt_at: e.next_attempt_at.0,
        sent_at: e.sent_at.map(|t| t.0),
        last_error: e.last_error,
    }
}

/// Newest first. Needs `internal_email_mgt_view`.
#[server(endpoint = "list_email_outbox", input = Json)]
pub async fn list_email_outbox(page: u32) -> Result<Paged<OutboxItem>, AppError> {
    use super::convert::paged;
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let found = ctx
        .engine
        .email_outbox(&admin, engine::PageRequest::new(page, PAGE_SIZE))
        .await
        .map_err(to_app_error)?;
    Ok(paged(found, item))
}

/// One message with its body. Needs `internal_email_mgt_view`.
#[server(endpoint = "get_email_outbox_message", input = Json)]
pub async fn get_email_outbox_message(id: String) -> Result<OutboxDetail, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let m = ctx
        .engine
        .email_outbox_message(&admin, &id)
        .await
        .map_err(to_app_error)?;
    Ok(OutboxDetail {
        item: item(m.entry),
        body: m.body,
    })
}
