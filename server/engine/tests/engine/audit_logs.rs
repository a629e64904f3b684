//! The Console's **Logs** over the audit trail: paged by sequence and filtered, people found by
//! their username, the impersonations' own events with "impersonated only", and ids shown as the
//! names they stand for.

use crate::audit_trail::{exec, olga_moves_to_sweden, trail};
use crate::harness::*;
use crate::impersonation_fixture::{setup, Setup};
use engine::audit::query::LogFilter;

#[tokio::test]
async fn logs_page_by_sequence_and_filter() {
    let (engine, admin) = trail().await;
    for i in 0..25 {
        engine
            .create_user(&admin, new_user(&format!("u{i:02}")), T0)
            .await
            .unwrap();
    }
    let total = count(&engine, "SELECT COUNT(*) FROM audit_events").await;
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = engine
            .audit_log_page(&admin, &LogFilter::default(), before, 10)
            .await
            .unwrap();
        assert!(page.events.len() <= 10);
        seen.extend(page.events.iter().map(|e| e.seq));
        match page.next_before {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    let expected: Vec<i64> = (1..=total).rev().collect();
    assert_eq!(seen, expected);
    let adds = engine
        .audit_log_page(
            &admin,
            &LogFilter {
                action: Some("Add-User".into()),
                ..LogFilter::default()
            },
            None,
            200,
        )
        .await
        .unwrap();
    assert_eq!(adds.events.len(), 29);
    assert!(adds.events.iter().all(|e| e.content.action == "Add-User"));
    let none = engine
        .audit_log_page(
            &admin,
            &LogFilter {
                impersonated_only: true,
                ..LogFilter::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    assert!(none.events.is_empty());
    let e = engine
        .audit_log_page(
            &admin,
            &LogFilter {
                from_ms: Some(10),
                until_ms: Some(5),
                ..LogFilter::default()
            },
            None,
            10,
        )
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "until");
    // The export runs oldest first over the same filter.
    let batch = engine
        .audit_log_export_batch(
            &admin,
            &LogFilter {
                action: Some("Add-User".into()),
                ..LogFilter::default()
            },
            0,
        )
        .await
        .unwrap();
    assert_eq!(batch.len(), 29);
    assert!(batch.windows(2).all(|w| w[0].seq < w[1].seq));
    let json: serde_json::Value =
        serde_json::from_str(&engine::audit::query::export_line(&batch[0])).unwrap();
    assert_eq!(json["action"], "Add-User");
}

#[tokio::test]
async fn logs_find_people_by_username_and_impersonations_with_their_own_events() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    olga_moves_to_sweden(&s, &olga).await;
    s.engine.stop_impersonating(&olga, T0).await.unwrap();
    let actions = |filter: LogFilter| {
        let engine = s.engine.clone();
        let admin = s.admin.clone();
        async move {
            let page = engine
                .audit_log_page(&admin, &filter, None, 50)
                .await
                .unwrap();
            let mut found: Vec<String> = page
                .events
                .iter()
                .map(|e| e.content.action.clone())
                .collect();
            found.sort();
            found
        }
    };
    // "Impersonated only", for Olga named by her username: the change made in her name and the
    // impersonation's own start and stop.
    assert_eq!(
        actions(LogFilter {
            target: Some("OLGA".into()),
            impersonated_only: true,
            ..LogFilter::default()
        })
        .await,
        vec![
            "Impersonation-Started",
            "Impersonation-Stopped",
            "Set-User-Claim-Values"
        ]
    );
    // By id as before; a name nobody has finds nothing.
    let by_id = actions(LogFilter {
        target: Some(s.olga.as_str().to_owned()),
        impersonated_only: true,
        ..LogFilter::default()
    })
    .await;
    assert_eq!(by_id.len(), 3);
    assert!(actions(LogFilter {
        initiator: Some("nobody-here".into()),
        ..LogFilter::default()
    })
    .await
    .is_empty());
    // The administrator's own acts, by username.
    assert!(actions(LogFilter {
        initiator: Some(ADMIN.into()),
        ..LogFilter::default()
    })
    .await
    .contains(&"Impersonation-Started".to_owned()));
}

#[tokio::test]
async fn logs_name_who_and_what_their_ids_stand_for() {
    let s = setup().await;
    let olga = s.impersonate_olga().await;
    s.engine.stop_impersonating(&olga, T0).await.unwrap();
    let page = newest(
        &s,
        LogFilter {
            target: Some(s.olga.as_str().to_owned()),
            impersonated_only: true,
            ..LogFilter::default()
        },
    )
    .await;
    assert!(!page.events.is_empty());
    let olga_named = &page.names[s.olga.as_str()];
    assert_eq!(
        (olga_named.kind, olga_named.name.as_str()),
        ("user", "olga")
    );
    let admin_id = s.admin.principal().user_id().as_str();
    let admin_named = &page.names[admin_id];
    assert_eq!(
        (admin_named.kind, admin_named.name.as_str()),
        ("user", ADMIN)
    );

    // A role and an application are named too; an id that names nothing any more is not.
    let whole = newest(&s, LogFilter::default()).await;
    let role = &whole.names[s.impersonation_role.as_str()];
    assert_eq!(role.kind, "role");
    let app = &whole.names[s.app.id.as_str()];
    assert_eq!(
        (app.kind, app.name.as_str()),
        ("application", s.app.name.as_str())
    );
    exec(
        &s.engine,
        "UPDATE audit_events SET target = 'gone' WHERE seq = 1",
    )
    .await;
    let whole = newest(&s, LogFilter::default()).await;
    assert!(!whole.names.contains_key("gone"));
}

/// The newest page (up to 200 events) of `filter`, as the fixture's administrator sees it.
async fn newest(s: &Setup, filter: LogFilter) -> engine::audit::query::LogPage {
    s.engine
        .audit_log_page(&s.admin, &filter, None, 200)
        .await
        .unwrap()
}
