//! The Console and My Account are clients of our own provider whose tokens never leave the server:
//! nobody outside can start their sign-in, redeem their codes or use their refresh tokens.

use crate::harness::*;
use crate::oauth::CHALLENGE;
use engine::access::{CONSOLE_APP, MY_ACCOUNT_APP};
use engine::oauth::authorize::{AuthorizeParams, AuthorizeRejection};
use engine::oauth::token::TokenParams;

#[tokio::test]
async fn the_portals_are_no_clients_for_anyone_outside_the_server() {
    let engine = engine().await;
    for kind in [CONSOLE_APP, MY_ACCOUNT_APP] {
        let portal = engine.system_application(kind).await.unwrap();
        let browser_request = AuthorizeParams {
            response_type: Some("code".into()),
            client_id: Some(portal.client_id.clone()),
            redirect_uri: portal.redirect_uris.last().cloned(),
            scope: Some("openid internal_login".into()),
            code_challenge: Some(CHALLENGE.into()),
            code_challenge_method: Some("S256".into()),
            ..AuthorizeParams::default()
        };
        assert!(
            matches!(
                engine
                    .validate_authorization_request(&browser_request)
                    .await,
                Err(AuthorizeRejection::ErrorPage(_))
            ),
            "{kind}: an authorization request from a browser"
        );
        for grant in ["authorization_code", "refresh_token"] {
            let params = TokenParams {
                grant_type: Some(grant.into()),
                code: Some("a-code".into()),
                refresh_token: Some("a-refresh-token".into()),
                redirect_uri: portal.redirect_uris.last().cloned(),
                ..TokenParams::default()
            };
            assert_eq!(
                engine.token(&portal, &params, T0).await.unwrap_err().code,
                "invalid_client",
                "{kind}: {grant}"
            );
        }
        assert!(
            engine
                .authenticate_client(&portal.client_id, None)
                .await
                .is_err(),
            "{kind}: client authentication"
        );
    }

    // Their sign-in in process still works, and leaves no refresh token behind.
    let admin = admin(&engine).await;
    assert!(engine
        .portal_scope(admin.principal(), CONSOLE_APP)
        .await
        .is_ok());
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM refresh_tokens r JOIN oauth_grants g ON g.id = r.grant_id \
             JOIN applications a ON a.id = g.app_id WHERE a.system_kind IS NOT NULL"
        )
        .await,
        0
    );
}
