//! The country profile attribute: validated, stored, versioned and audited masked, through the
//! Console, My Account and provisioning alike.

use crate::harness::*;
use engine::provisioning::ProvisionedUser;
use engine::users::{IfMatch, ProfileChanges, User};
use engine::{Engine, Error};

fn with_country(u: &User, country: &str) -> ProfileChanges {
    ProfileChanges {
        email: u.email.clone(),
        given_name: u.given_name.clone(),
        family_name: u.family_name.clone(),
        country: country.into(),
    }
}

/// The `Data` of the user's claim-value events, oldest first.
async fn claim_events(engine: &Engine, user: &User) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT data FROM audit_events WHERE action = 'Set-User-Claim-Values' AND target = $1 \
         ORDER BY occurred_at",
    )
    .bind(user.id.as_str())
    .fetch_all(engine.db().pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_country_is_stored_versioned_and_audited_masked() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("sven"), T0)
        .await
        .unwrap();
    assert_eq!(user.country, "");

    let changed = engine
        .update_user(
            &admin,
            &user.id,
            with_country(&user, "  Sweden "),
            T0.plus_secs(1),
        )
        .await
        .unwrap();
    assert_eq!(changed.country, "Sweden");
    assert!(changed.version > user.version);
    assert_eq!(
        engine.get_user(&admin, &user.id).await.unwrap().country,
        "Sweden"
    );

    // The user changes it themselves; an empty value unsets it.
    let me = sign_in(&engine, "sven", "sven-password")
        .await
        .unwrap()
        .principal;
    let mine = engine
        .update_my_profile(&me, with_country(&changed, "Norway"), T0.plus_secs(2))
        .await
        .unwrap();
    assert_eq!(mine.country, "Norway");
    assert!(mine.version > changed.version);
    let unset = engine
        .update_my_profile(&me, with_country(&mine, ""), T0.plus_secs(3))
        .await
        .unwrap();
    assert_eq!(engine.my_profile(&me).await.unwrap().country, "");

    // Saving the same country again records no claim change.
    engine
        .update_my_profile(&me, with_country(&unset, ""), T0.plus_secs(4))
        .await
        .unwrap();
    assert_eq!(
        claim_events(&engine, &user).await,
        [
            r#"{"Claims":{"country":"S****n"}}"#,
            r#"{"Claims":{"country":"N****y"}}"#,
            r#"{"Claims":{"country":""}}"#,
        ]
    );
}

#[tokio::test]
async fn a_country_too_long_or_with_control_characters_is_refused() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("tove"), T0)
        .await
        .unwrap();
    let me = sign_in(&engine, "tove", "tove-password")
        .await
        .unwrap()
        .principal;
    for bad in ["x".repeat(65), "Swe\nden".into(), "Swe\u{7}den".into()] {
        let e = engine
            .update_my_profile(&me, with_country(&user, &bad), T0)
            .await
            .unwrap_err();
        assert_eq!(
            field_errors(e),
            [("country", field_message(&bad))],
            "{bad:?}"
        );
        let e = engine
            .update_user(&admin, &user.id, with_country(&user, &bad), T0)
            .await
            .unwrap_err();
        assert_eq!(field_errors(e)[0].0, "country");
    }
    // 64 characters (not bytes) are fine.
    let long = "é".repeat(64);
    let saved = engine
        .update_my_profile(&me, with_country(&user, &long), T0)
        .await
        .unwrap();
    assert_eq!(saved.country, long);
    assert_eq!(saved.version, user.version + 1);
}

fn field_message(bad: &str) -> String {
    if bad.chars().count() > 64 {
        "A country has at most 64 characters.".into()
    } else {
        "The country contains characters that are not allowed.".into()
    }
}

#[tokio::test]
async fn provisioning_states_the_country_and_its_primary_flag() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let stated = |country: &str, primary: bool| ProvisionedUser {
        username: "ulla".into(),
        email: "ulla@example.com".into(),
        given_name: String::new(),
        family_name: String::new(),
        country: country.into(),
        address_primary: primary,
        active: true,
        external_id: None,
        password: None,
    };
    let e = engine
        .provision_user(&admin, stated(&"y".repeat(65), true), T0)
        .await
        .unwrap_err();
    assert_eq!(field_errors(e)[0].0, "country");
    let user = engine
        .provision_user(&admin, stated(" Finland ", true), T0)
        .await
        .unwrap();
    assert_eq!(
        (user.country.as_str(), user.address_primary),
        ("Finland", true)
    );

    let replaced = engine
        .replace_user(
            &admin,
            &user.id,
            stated("Denmark", false),
            &IfMatch::Any,
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        (replaced.country.as_str(), replaced.address_primary),
        ("Denmark", false)
    );
    assert!(replaced.version > user.version);
    let events = claim_events(&engine, &user).await;
    assert!(
        events.contains(&r#"{"Claims":{"country":"D*****k"}}"#.to_owned()),
        "{events:?}"
    );
    assert!(
        events.contains(&r#"{"Claims":{"addressPrimary":false}}"#.to_owned()),
        "{events:?}"
    );

    // A replacement that states no country removes it.
    let cleared = engine
        .modify_user(
            &admin,
            &user.id,
            &IfMatch::Any,
            |_| Ok::<_, Error>(stated("", true)),
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        (cleared.country.as_str(), cleared.address_primary),
        ("", true)
    );
}
