//! Wire types of the Console's notification pages: the impersonation setting, email templates and
//! the outbox.

use serde::{Deserialize, Serialize};

/// **Login & Registration > Organization settings > Impersonation**.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationConfig {
    pub enable_email_notification: bool,
}

/// A template type in the list, with the locales the organization customized.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailTemplateSummary {
    /// The type's key (`ImpersonationEmailNotification`).
    pub template_type: String,
    pub display_name: String,
    pub customized_locales: Vec<String>,
}

/// One template in one locale, as used now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailTemplateDetail {
    pub template_type: String,
    pub display_name: String,
    pub locale: String,
    pub subject: String,
    pub body: String,
    /// False while it is the default.
    pub customized: bool,
    /// What the template may use, with braces (`{{user-name}}`).
    pub placeholders: Vec<String>,
}

/// A template rendered with sample values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPreview {
    pub subject: String,
    pub body: String,
}

/// One message of the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: String,
    pub template_type: String,
    pub recipient: String,
    pub subject: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
    /// Our own short reason, never the mail server's text.
    pub last_error: Option<String>,
}

/// A message with its body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxDetail {
    pub item: OutboxItem,
    pub body: String,
}
