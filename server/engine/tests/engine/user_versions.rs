//! A user's version and the read-modify-write of provisioning: a stale precondition changes
//! nothing, and concurrent changes take turns instead of losing one (on both backends).

use crate::harness::*;
use engine::provisioning::ProvisionedUser;
use engine::users::{IfMatch, User};
use engine::Error;

fn with_names(u: &User, given: Option<&str>, family: Option<&str>) -> ProvisionedUser {
    ProvisionedUser {
        username: u.username.clone(),
        email: u.email.clone(),
        given_name: given.unwrap_or(&u.given_name).to_owned(),
        family_name: family.unwrap_or(&u.family_name).to_owned(),
        country: u.country.clone(),
        address_primary: u.address_primary,
        active: true,
        external_id: u.external_id.clone(),
        password: None,
    }
}

#[tokio::test]
async fn a_stale_version_changes_nothing() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap();
    let stale = IfMatch::Versions(vec![user.version]);
    let changed = engine
        .modify_user(
            &admin,
            &user.id,
            &stale,
            |u| Ok::<_, Error>(with_names(u, Some("Olga"), None)),
            T0,
        )
        .await
        .unwrap();
    assert!(changed.version > user.version);
    for result in [
        engine
            .modify_user(
                &admin,
                &user.id,
                &stale,
                |u| Ok::<_, Error>(with_names(u, Some("Again"), None)),
                T0,
            )
            .await
            .map(drop),
        engine
            .delete_user_matching(&admin, &user.id, &stale, T0)
            .await,
    ] {
        assert!(
            matches!(result, Err(Error::PreconditionFailed)),
            "{result:?}"
        );
    }
    let now = engine.get_user(&admin, &user.id).await.unwrap();
    assert_eq!(
        (now.given_name.as_str(), now.version),
        ("Olga", changed.version)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_changes_take_turns() {
    let engine = engine().await;
    let admin = admin(&engine).await;
    let user = engine
        .create_user(&admin, new_user("olga"), T0)
        .await
        .unwrap();
    for round in 0..6 {
        let given = format!("Given{round}");
        let family = format!("Family{round}");
        let (a, b) = tokio::join!(
            engine.modify_user(
                &admin,
                &user.id,
                &IfMatch::Any,
                |u| Ok::<_, Error>(with_names(u, Some(&given), None)),
                T0,
            ),
            engine.modify_user(
                &admin,
                &user.id,
                &IfMatch::Any,
                |u| Ok::<_, Error>(with_names(u, None, Some(&family))),
                T0,
            )
        );
        a.unwrap();
        b.unwrap();
        let now = engine.get_user(&admin, &user.id).await.unwrap();
        assert_eq!(
            (now.given_name.as_str(), now.family_name.as_str()),
            (given.as_str(), family.as_str()),
            "round {round}"
        );
    }
}
