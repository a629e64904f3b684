//! **Branding > Email Templates**: list, open, edit, preview and reset an organization's templates.
//! A customized template is a row; the default lives in code and is what a reset goes back to.

use super::templates::{self, parse_locale, Rendered, TemplateType, DEFAULT_LOCALE};
use crate::access::ConsoleAdmin;
use crate::audit::{self, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::permissions::Permission;
use crate::Engine;
use serde_json::json;
use sqlx::AnyConnection;

/// A template type and the locales the organization customized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateSummary {
    pub kind: TemplateType,
    pub customized_locales: Vec<String>,
}

/// One template in one locale, as it is used now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailTemplate {
    pub kind: TemplateType,
    pub locale: String,
    pub subject: String,
    pub body: String,
    /// False when this is the default.
    pub customized: bool,
    pub updated_at: Option<Timestamp>,
}

fn kind_of(key: &str) -> Result<TemplateType> {
    TemplateType::parse(key).ok_or(Error::NotFound("email template"))
}

fn locale_of(raw: &str) -> Result<String> {
    parse_locale(raw).map_err(|f| Error::Invalid(vec![f]))
}

/// The template of `kind` that `org` uses in `locale`: its customization, else the default.
pub(crate) async fn effective(
    conn: &mut AnyConnection,
    org: &str,
    kind: TemplateType,
    locale: &str,
) -> Result<EmailTemplate> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT subject, body, updated_at FROM email_templates \
         WHERE org_id = $1 AND template_type = $2 AND locale = $3",
    )
    .bind(org)
    .bind(kind.key())
    .bind(locale)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some((subject, body, updated_at)) => EmailTemplate {
            kind,
            locale: locale.to_owned(),
            subject,
            body,
            customized: true,
            updated_at: Some(Timestamp(updated_at)),
        },
        None => EmailTemplate {
            kind,
            locale: locale.to_owned(),
            subject: kind.default_subject().to_owned(),
            body: kind.default_body().to_owned(),
            customized: false,
            updated_at: None,
        },
    })
}

impl Engine {
    /// Every template type, with the locales the organization customized. Needs
    /// `internal_email_mgt_view`.
    pub async fn email_templates(&self, admin: &ConsoleAdmin) -> Result<Vec<TemplateSummary>> {
        admin.require(Permission::EmailView)?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT template_type, locale FROM email_templates WHERE org_id = $1 \
             ORDER BY template_type, locale",
        )
        .bind(admin.org().as_str())
        .fetch_all(self.db.pool())
        .await?;
        Ok(TemplateType::ALL
            .into_iter()
            .map(|kind| TemplateSummary {
                kind,
                customized_locales: rows
                    .iter()
                    .filter(|(k, _)| k == kind.key())
                    .map(|(_, l)| l.clone())
                    .collect(),
            })
            .collect())
    }

    /// The template `kind` (its key) in `locale`, customized or default. Needs
    /// `internal_email_mgt_view`.
    pub async fn email_template(
        &self,
        admin: &ConsoleAdmin,
        kind: &str,
        locale: &str,
    ) -> Result<EmailTemplate> {
        admin.require(Permission::EmailView)?;
        let kind = kind_of(kind)?;
        let locale = locale_of(locale)?;
        let mut conn = self.db.pool().acquire().await?;
        effective(&mut conn, admin.org().as_str(), kind, &locale).await
    }

    /// Saves the organization's subject and body of `kind` in `locale`. Field errors for an empty
    /// or overlong part, a line break in the subject, or a placeholder the type does not know.
    /// Needs `internal_email_mgt_update`.
    pub async fn update_email_template(
        &self,
        admin: &ConsoleAdmin,
        kind: &str,
        locale: &str,
        subject: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<EmailTemplate> {
        admin.require(Permission::EmailUpdate)?;
        let kind = kind_of(kind)?;
        let locale = locale_of(locale)?;
        let (subject, body) = templates::validate(kind, subject, body)?;
        let org = admin.org().as_str();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO email_templates (org_id, template_type, locale, subject, body, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, template_type, locale) DO UPDATE \
             SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(org)
        .bind(kind.key())
        .bind(&locale)
        .bind(&subject)
        .bind(&body)
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        let event = AuditEvent::by_admin(
            admin,
            crate::audit::actions::UPDATE_EMAIL_TEMPLATE,
            kind.key(),
            json!({ "locale": locale }),
        );
        audit::record(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(EmailTemplate {
            kind,
            locale,
            subject,
            body,
            customized: true,
            updated_at: Some(now),
        })
    }

    /// Puts `kind` in `locale` back to the default. Needs `internal_email_mgt_update`.
    pub async fn reset_email_template(
        &self,
        admin: &ConsoleAdmin,
        kind: &str,
        locale: &str,
        now: Timestamp,
    ) -> Result<EmailTemplate> {
        admin.require(Permission::EmailUpdate)?;
        let kind = kind_of(kind)?;
        let locale = locale_of(locale)?;
        let org = admin.org().as_str();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "DELETE FROM email_templates WHERE org_id = $1 AND template_type = $2 AND locale = $3",
        )
        .bind(org)
        .bind(kind.key())
        .bind(&locale)
        .execute(&mut *tx)
        .await?;
        let event = AuditEvent::by_admin(
            admin,
            crate::audit::actions::RESET_EMAIL_TEMPLATE,
            kind.key(),
            json!({ "locale": locale }),
        );
        audit::record(&mut tx, event, now).await?;
        let template = effective(&mut tx, org, kind, &locale).await?;
        tx.commit().await?;
        Ok(template)
    }

    /// `subject` and `body` (unsaved edits) rendered with sample values, after the same checks as
    /// saving. Needs `internal_email_mgt_view`.
    pub fn preview_email_template(
        &self,
        admin: &ConsoleAdmin,
        kind: &str,
        subject: &str,
        body: &str,
    ) -> Result<Rendered> {
        admin.require(Permission::EmailView)?;
        let kind = kind_of(kind)?;
        let (subject, body) = templates::validate(kind, subject, body)?;
        Ok(templates::render(&subject, &body, &kind.sample_values()))
    }
}

/// The locale messages are rendered in for now (users carry none yet).
pub(crate) fn recipient_locale() -> &'static str {
    DEFAULT_LOCALE
}
