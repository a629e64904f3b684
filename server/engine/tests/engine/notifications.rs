//! The impersonated user's emails: written to the outbox with the start (and only if it commits),
//! once per session, not at all when the organization switched them off, rendered from the
//! organization's template; and the closing email listing what was changed on their behalf.

use crate::access::limited_admin;
use crate::harness::*;
use crate::impersonation_fixture::*;
use engine::access::scopes;
use engine::notifications::{display_time, ImpersonationSettings, OutboxEntry, OutboxStatus};
use engine::users::ProfileChanges;
use engine::{Engine, Error, PageRequest, Timestamp};

pub const STARTED: &str = "ImpersonationEmailNotification";
pub const ENDED: &str = "ImpersonationEndedEmailNotification";

pub async fn outbox(s: &Setup) -> Vec<OutboxEntry> {
    s.engine
        .email_outbox(&s.admin, PageRequest::new(1, 100))
        .await
        .unwrap()
        .items
}

async fn body_of(s: &Setup, entry: &OutboxEntry) -> String {
    s.engine
        .email_outbox_message(&s.admin, &entry.id)
        .await
        .unwrap()
        .body
}

async fn impersonations(engine: &Engine) -> i64 {
    count(engine, "SELECT COUNT(*) FROM impersonations").await
}

#[tokio::test]
async fn starting_an_impersonation_writes_the_contracts_email_to_the_outbox() {
    let s = setup().await;
    s.impersonate_olga().await;
    let messages = outbox(&s).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!(m.kind, STARTED);
    assert_eq!(m.recipient, "olga@example.com");
    assert_eq!(m.subject, "User Impersonation Session Started");
    assert_eq!(m.status, OutboxStatus::Pending);
    assert_eq!(m.attempts, 0);
    assert_eq!(m.next_attempt_at, T0);
    let body = body_of(&s, m).await;
    assert!(body.contains("Hi olga,"), "{body}");
    assert!(
        body.contains(&format!("by admin on {}", display_time(T0))),
        "{body}"
    );
    assert!(!body.contains("{{"), "{body}");
}

#[tokio::test]
async fn a_session_is_notified_once_however_often_it_is_bound() {
    let s = setup().await;
    s.impersonate_olga().await;
    // The Console's button again (same session, same user) and a later sign-in find the session.
    s.engine
        .impersonate_from_console(
            &s.admin,
            &s.olga,
            &engine::impersonation::Justification::default(),
            Timestamp(T0.0 + 5),
        )
        .await
        .unwrap();
    assert_eq!(impersonations(&s.engine).await, 1);
    let started: Vec<_> = outbox(&s)
        .await
        .into_iter()
        .filter(|m| m.kind == STARTED)
        .collect();
    assert_eq!(started.len(), 1);
}

#[tokio::test]
async fn a_start_that_does_not_commit_leaves_no_email_and_an_email_that_cannot_be_written_no_start()
{
    let s = setup().await;
    // Refused (the session already impersonates Olga; one subject per session): nothing written.
    let bob = s
        .engine
        .create_user(&s.admin, new_user("bob"), T0)
        .await
        .unwrap()
        .id;
    s.engine
        .impersonate_from_console(
            &s.admin,
            &s.olga,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap();
    let second = s
        .engine
        .impersonate_from_console(
            &s.admin,
            &bob,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(second, Error::ImpersonationRefused(_)),
        "{second:?}"
    );
    assert_eq!(outbox(&s).await.len(), 1, "only Olga's start");

    // The outbox cannot be written: the start itself does not happen (one transaction).
    let (engine, _) = engine_at().await;
    let admin = admin(&engine).await;
    let olga = engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap()
        .id;
    sqlx::query("ALTER TABLE outbox RENAME TO outbox_away")
        .execute(engine.db().pool())
        .await
        .unwrap();
    let failed = engine
        .impersonate_from_console(
            &admin,
            &olga,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await;
    assert!(matches!(failed, Err(Error::Unavailable(_))), "{failed:?}");
    assert_eq!(impersonations(&engine).await, 0);
    sqlx::query("ALTER TABLE outbox_away RENAME TO outbox")
        .execute(engine.db().pool())
        .await
        .unwrap();
    engine
        .impersonate_from_console(
            &admin,
            &olga,
            &engine::impersonation::Justification::default(),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(impersonations(&engine).await, 1);
    assert_eq!(count(&engine, "SELECT COUNT(*) FROM outbox").await, 1);
}

#[tokio::test]
async fn with_the_setting_off_nobody_is_emailed_and_reset_turns_it_back_on() {
    let s = setup().await;
    let on = s.engine.impersonation_settings(&s.admin).await.unwrap();
    assert!(on.enable_email_notification, "on by default");
    let off = ImpersonationSettings {
        enable_email_notification: false,
    };
    s.engine
        .update_impersonation_settings(&s.admin, off, T0)
        .await
        .unwrap();
    assert_eq!(
        s.engine.impersonation_settings(&s.admin).await.unwrap(),
        off
    );
    let olga = s.impersonate_olga().await;
    s.engine
        .stop_impersonating(&olga, Timestamp(T0.0 + 10))
        .await
        .unwrap();
    assert!(outbox(&s).await.is_empty());
    let notified: Option<i64> = sqlx::query_scalar("SELECT notified_at FROM impersonations")
        .fetch_one(s.engine.db().pool())
        .await
        .unwrap();
    assert_eq!(notified, None, "nobody was told");

    let reset = s
        .engine
        .reset_impersonation_settings(&s.admin, T0)
        .await
        .unwrap();
    assert!(reset.enable_email_notification);
    s.impersonate_olga().await;
    assert_eq!(outbox(&s).await.len(), 1);
}

#[tokio::test]
async fn settings_and_templates_need_their_scopes() {
    let s = setup().await;
    let viewer = limited_admin(
        &s.engine,
        "viewer",
        &[scopes::CONFIG_VIEW, scopes::EMAIL_VIEW],
    )
    .await;
    s.engine.impersonation_settings(&viewer).await.unwrap();
    s.engine.email_templates(&viewer).await.unwrap();
    let denied = s
        .engine
        .update_impersonation_settings(&viewer, ImpersonationSettings::default(), T0)
        .await
        .unwrap_err();
    assert!(matches!(denied, Error::Forbidden(scopes::CONFIG_UPDATE)));
    let denied = s
        .engine
        .update_email_template(&viewer, STARTED, "en_US", "Hi", "Body", T0)
        .await
        .unwrap_err();
    assert!(matches!(denied, Error::Forbidden(scopes::EMAIL_UPDATE)));
    let nobody = limited_admin(&s.engine, "nobody", &[scopes::USER_LIST]).await;
    assert!(s.engine.impersonation_settings(&nobody).await.is_err());
    assert!(s
        .engine
        .email_outbox(&nobody, PageRequest::new(1, 10))
        .await
        .is_err());
}

#[tokio::test]
async fn an_edited_template_is_what_the_user_gets_and_a_reset_restores_the_default() {
    let s = setup().await;
    let edited = s
        .engine
        .update_email_template(
            &s.admin,
            STARTED,
            "en_US",
            "Heads up, {{user-name}}",
            "{{impersonator-user-name}} is you since {{login-time}}.",
            T0,
        )
        .await
        .unwrap();
    assert!(edited.customized);
    let read = s
        .engine
        .email_template(&s.admin, STARTED, "en_US")
        .await
        .unwrap();
    assert_eq!(read.subject, "Heads up, {{user-name}}");
    let list = s.engine.email_templates(&s.admin).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].customized_locales, vec!["en_US".to_owned()]);

    s.impersonate_olga().await;
    let m = &outbox(&s).await[0];
    assert_eq!(m.subject, "Heads up, olga");
    assert_eq!(
        body_of(&s, m).await,
        format!("admin is you since {}.", display_time(T0))
    );

    let reset = s
        .engine
        .reset_email_template(&s.admin, STARTED, "en_US", T0)
        .await
        .unwrap();
    assert!(!reset.customized);
    assert_eq!(reset.subject, "User Impersonation Session Started");
    // Rendered when written: the reset does not rewrite the message already waiting.
    assert_eq!(outbox(&s).await[0].subject, "Heads up, olga");
}

#[tokio::test]
async fn template_edits_are_checked_field_by_field() {
    let s = setup().await;
    let e = s
        .engine
        .update_email_template(&s.admin, STARTED, "en_US", "  ", "", T0)
        .await
        .unwrap_err();
    let fields: Vec<_> = field_errors(e).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, vec!["subject", "body"]);

    let e = s
        .engine
        .update_email_template(&s.admin, STARTED, "en_US", "Hi {{nope}}", "{{changes}}", T0)
        .await
        .unwrap_err();
    let errors = field_errors(e);
    assert_eq!(errors[0].0, "subject");
    assert!(errors[0].1.contains("{{nope}}"), "{errors:?}");
    assert_eq!(errors[1].0, "body");

    let e = s
        .engine
        .update_email_template(&s.admin, STARTED, "en_US", "Two\nlines", "ok", T0)
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "subject");
    let long = "x".repeat(engine::notifications::BODY_MAX + 1);
    let e = s
        .engine
        .update_email_template(&s.admin, STARTED, "en_US", "Hi", &long, T0)
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "body");
    let e = s
        .engine
        .update_email_template(&s.admin, STARTED, "english", "Hi", "ok", T0)
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "locale");
    let e = s
        .engine
        .update_email_template(&s.admin, "NoSuchTemplate", "en_US", "Hi", "ok", T0)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    // The closing template knows {{changes}}.
    s.engine
        .update_email_template(&s.admin, ENDED, "en_US", "Ended", "{{changes}}", T0)
        .await
        .unwrap();
    assert_eq!(
        s.engine
            .email_template(&s.admin, STARTED, "en_US")
            .await
            .unwrap()
            .subject,
        "User Impersonation Session Started",
        "nothing invalid was saved"
    );
}

#[tokio::test]
async fn preview_fills_sample_values_without_saving() {
    let s = setup().await;
    let preview = s
        .engine
        .preview_email_template(
            &s.admin,
            STARTED,
            "Hello {{user-name}}",
            "{{impersonator-user-name}} at {{login-time}}",
        )
        .unwrap();
    assert_eq!(preview.subject, "Hello john");
    assert_eq!(preview.body, "admin at June 03, 2024 at 02:50 PM UTC");
    assert!(s
        .engine
        .preview_email_template(&s.admin, STARTED, "Hi", "{{bad}}")
        .is_err());
    assert!(
        !s.engine
            .email_template(&s.admin, STARTED, "en_US")
            .await
            .unwrap()
            .customized
    );
}

#[tokio::test]
async fn the_closing_email_lists_what_was_changed_on_the_users_behalf() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    let at = Timestamp(T0.0 + 30);
    s.engine
        .update_my_profile(
            &olga,
            ProfileChanges {
                email: "olga@example.com".into(),
                given_name: "Olga".into(),
                family_name: "Changed".into(),
                country: String::new(),
            },
            at,
        )
        .await
        .unwrap();
    let end = Timestamp(T0.0 + 60);
    s.engine.stop_impersonating(&olga, end).await.unwrap();
    // Ending again (sign-out after stop) writes nothing more.
    s.engine.stop_impersonating(&olga, end).await.unwrap();
    let messages = outbox(&s).await;
    let ended: Vec<_> = messages.iter().filter(|m| m.kind == ENDED).collect();
    assert_eq!(ended.len(), 1, "{messages:?}");
    assert_eq!(ended[0].subject, "User Impersonation Session Ended");
    let body = body_of(&s, ended[0]).await;
    assert!(
        body.contains(&format!("- {}: Set-User-Claim-Values", display_time(at))),
        "{body}"
    );
    assert!(
        body.contains(&format!("ended on {}", display_time(end))),
        "{body}"
    );

    // A later session without changes says so.
    let again = Timestamp(T0.0 + 70);
    s.engine
        .impersonate_from_console(
            &s.admin,
            &s.olga,
            &engine::impersonation::Justification::default(),
            again,
        )
        .await
        .unwrap();
    let olga = s.session(again).await;
    s.engine
        .stop_impersonating(&olga, Timestamp(T0.0 + 90))
        .await
        .unwrap();
    let latest = outbox(&s).await;
    let body = body_of(&s, &latest[0]).await;
    assert_eq!(latest[0].kind, ENDED);
    assert!(body.contains("- No changes were made."), "{body}");
}
