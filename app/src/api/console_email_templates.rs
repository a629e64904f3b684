//! Branding > Email Templates: list, open, save, preview, reset. Each function names the scope it
//! needs; the engine checks it.

use crate::model::{AppError, EmailPreview, EmailTemplateDetail, EmailTemplateSummary};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn detail(t: engine::notifications::EmailTemplate) -> EmailTemplateDetail {
    EmailTemplateDetail {
        template_type: t.kind.key().to_owned(),
        display_name: t.kind.display_name().to_owned(),
        placeholders: t
            .kind
            .placeholders()
            .iter()
            .map(|p| format!("{{{{{p}}}}}"))
            .collect(),
        locale: t.locale,
        subject: t.subject,
        body: t.body,
        customized: t.customized,
    }
}

/// Needs `internal_email_mgt_view`.
#[server(endpoint = "list_email_templates", input = Json)]
pub async fn list_email_templates() -> Result<Vec<EmailTemplateSummary>, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let all = ctx
        .engine
        .email_templates(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(all
        .into_iter()
        .map(|t| EmailTemplateSummary {
            template_type: t.kind.key().to_owned(),
            display_name: t.kind.display_name().to_owned(),
            customized_locales: t.customized_locales,
        })
        .collect())
}

/// Needs `internal_email_mgt_view`.
#[server(endpoint = "get_email_template", input = Json)]
pub async fn get_email_template(
    template_type: String,
    locale: String,
) -> Result<EmailTemplateDetail, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let t = ctx
        .engine
        .email_template(&admin, &template_type, &locale)
        .await
        .map_err(to_app_error)?;
    Ok(detail(t))
}

/// Needs `internal_email_mgt_update`.
#[server(endpoint = "update_email_template", input = Json)]
pub async fn update_email_template(
    template_type: String,
    locale: String,
    subject: String,
    body: String,
) -> Result<EmailTemplateDetail, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let t = ctx
        .engine
        .update_email_template(&admin, &template_type, &locale, &subject, &body, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(detail(t))
}

/// Needs `internal_email_mgt_update`.
#[server(endpoint = "reset_email_template", input = Json)]
pub async fn reset_email_template(
    template_type: String,
    locale: String,
) -> Result<EmailTemplateDetail, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let t = ctx
        .engine
        .reset_email_template(&admin, &template_type, &locale, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(detail(t))
}

/// Unsaved edits with sample values. Needs `internal_email_mgt_view`.
#[server(endpoint = "preview_email_template", input = Json)]
pub async fn preview_email_template(
    template_type: String,
    subject: String,
    body: String,
) -> Result<EmailPreview, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let r = ctx
        .engine
        .preview_email_template(&admin, &template_type, &subject, &body)
        .map_err(to_app_error)?;
    Ok(EmailPreview {
        subject: r.subject,
        body: r.body,
    })
}
