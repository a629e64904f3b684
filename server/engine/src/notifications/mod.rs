//! Notifications: emails written to an outbox in the transaction of the change that causes them,
//! and delivered by a worker over any [`MailTransport`] (SMTP in the server) with leases, retries
//! and backoff. The impersonated user hears when a session on their account starts and ends.

mod delivery;
pub(crate) mod impersonation;
mod outbox;
mod settings;
mod template_admin;
mod templates;

pub use delivery::{
    backoff_secs, message_id, Attempt, Claim, Deliverer, MailTransport, OutgoingMail, SendFailure,
    BACKOFF_FIRST_SECS, BACKOFF_MAX_SECS, LEASE_SECS,
};
pub use outbox::{OutboxEntry, OutboxMessage, OutboxStatus};
pub use settings::ImpersonationSettings;
pub use template_admin::{EmailTemplate, TemplateSummary};
pub use templates::{Rendered, TemplateType, BODY_MAX, DEFAULT_LOCALE, SUBJECT_MAX};

use crate::clock::Timestamp;

/// A time as emails show it (`MMMM dd, yyyy 'at' hh:mm a z`, in UTC): `June 03, 2024 at 02:50 PM UTC`.
pub fn display_time(at: Timestamp) -> String {
    let format = time::macros::format_description!(
        "[month repr:long] [day], [year] at [hour repr:12]:[minute] [period] UTC"
    );
    time::OffsetDateTime::from_unix_timestamp(at.0)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_read_as_the_contract_says() {
        // 2024-06-03T14:50:42Z
        assert_eq!(
            super::display_time(super::Timestamp(1_717_426_242)),
            "June 03, 2024 at 02:50 PM UTC"
        );
        assert_eq!(
            super::display_time(super::Timestamp(1_717_372_800)),
            "June 03, 2024 at 12:00 AM UTC"
        );
    }
}
