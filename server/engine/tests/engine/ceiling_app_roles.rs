//! The privilege ceiling over an application's roles: taking system scopes away from them (the
//! application's API authorization, deleting the application) changes what their holders hold, so
//! it is bounded by those holders' ceiling like editing the roles is.

use crate::access::{business_app, resource_owning, role};
use crate::ceiling::fixture;
use crate::harness::*;
use engine::access::scopes;
use engine::roles::RoleAudience;
use engine::Error;

#[tokio::test]
async fn taking_an_applications_system_scopes_away_is_bounded_by_the_ceiling_of_their_holders() {
    let f = fixture().await;
    let e = &f.engine;
    // A support lead impersonates into one business application through its own role.
    let app = business_app(e, &[scopes::USER_IMPERSONATE]).await;
    e.create_user(&f.full, new_user("lead"), T0).await.unwrap();
    role(
        e,
        "lead impersonation",
        RoleAudience::Application(app.client_id.clone()),
        &[scopes::USER_IMPERSONATE],
        &["lead"],
    )
    .await;
    let impersonation = resource_owning(e, &f.full, scopes::USER_IMPERSONATE).await;

    // The help desk manages applications but does not hold impersonation: it may neither take
    // the scope away from the application nor delete the application with the lead's role.
    assert!(matches!(
        e.authorize_api_resource(&f.helpdesk, &app.id, &impersonation, vec![], T0)
            .await,
        Err(Error::AboveCeiling)
    ));
    assert!(matches!(
        e.delete_application(&f.helpdesk, &app.id, T0).await,
        Err(Error::AboveCeiling)
    ));
    let kept: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_permissions rp JOIN roles r ON r.id = rp.role_id \
         WHERE r.name = 'lead impersonation' AND rp.scope = $1",
    )
    .bind(scopes::USER_IMPERSONATE)
    .fetch_one(e.db().pool())
    .await
    .unwrap();
    assert_eq!(kept, 1, "the lead keeps what the help desk tried to take");

    // An administrator who holds it may do both.
    e.authorize_api_resource(&f.full, &app.id, &impersonation, vec![], T0)
        .await
        .unwrap();
    e.delete_application(&f.full, &app.id, T0).await.unwrap();
}
