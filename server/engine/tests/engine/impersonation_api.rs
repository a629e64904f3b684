//! Impersonation through a business application, as the wire contract says: a subject token from
//! the authorization endpoint, then the RFC 8693 token exchange — with every error case of the
//! contract.

use crate::harness::*;
use crate::impersonation_fixture::*;
use crate::oauth::{claims, code_for, header, redeem, refresh, REDIRECT};
use engine::applications::Application;
use engine::oauth::authorize::{AuthorizeParams, AuthorizeStep};
use engine::oauth::token::TokenParams;
use engine::sessions::Principal;
use engine::{Engine, Settings, Timestamp, UserId};

pub(crate) fn subject_request(app: &Application, subject: &UserId) -> AuthorizeParams {
    AuthorizeParams {
        response_type: Some("id_token subject_token".into()),
        client_id: Some(app.client_id.clone()),
        redirect_uri: Some(REDIRECT.into()),
        scope: Some("openid internal_user_impersonate internal_login".into()),
        state: Some("st".into()),
        nonce: Some("n-1".into()),
        requested_subject: Some(subject.as_str().to_owned()),
        ..AuthorizeParams::default()
    }
}

/// The redirect of a subject-token request.
pub(crate) async fn subject_redirect(
    engine: &Engine,
    app: &Application,
    who: &Principal,
    subject: &UserId,
) -> String {
    match authorize_step(engine, &subject_request(app, subject), who, T0).await {
        AuthorizeStep::Redirect(location) => location,
        other => panic!("expected a redirect, got {other:?}"),
    }
}

/// The subject token and the impersonator's ID token.
pub(crate) async fn subject_and_actor(
    engine: &Engine,
    app: &Application,
    who: &Principal,
    subject: &UserId,
) -> (String, String) {
    let location = subject_redirect(engine, app, who, subject).await;
    (
        fragment_param(&location, "subject_token").expect("a subject token"),
        fragment_param(&location, "id_token").expect("an id token"),
    )
}

pub(crate) fn exchange(subject_token: &str, actor_token: &str) -> TokenParams {
    TokenParams {
        grant_type: Some("urn:ietf:params:oauth:grant-type:token-exchange".into()),
        subject_token: Some(subject_token.into()),
        subject_token_type: Some("urn:ietf:params:oauth:token-type:jwt".into()),
        requested_token_type: Some("urn:ietf:params:oauth:token-type:access_token".into()),
        actor_token: Some(actor_token.into()),
        actor_token_type: Some("urn:ietf:params:oauth:token-type:id_token".into()),
        ..TokenParams::default()
    }
}

#[tokio::test]
async fn a_subject_token_names_the_user_and_may_act_names_the_impersonator() {
    let s = setup().await;
    let admin = s.session(T0).await;
    let location = subject_redirect(&s.engine, &s.app, &admin, &s.olga).await;
    assert!(location.starts_with(&format!("{REDIRECT}#")), "{location}");
    assert_eq!(fragment_param(&location, "state").as_deref(), Some("st"));
    assert!(fragment_param(&location, "session_state").is_some());
    let subject_token = fragment_param(&location, "subject_token").unwrap();
    assert_eq!(header(&subject_token)["typ"], "jwt");
    let c = claims(&subject_token);
    assert_eq!(c["sub"], s.olga.as_str());
    assert_eq!(c["aud"], s.app.client_id.as_str());
    assert_eq!(c["client_id"], s.app.client_id.as_str());
    assert_eq!(c["azp"], s.app.client_id.as_str());
    assert_eq!(c["iss"], s.engine.issuer());
    assert_eq!(c["may_act"]["sub"], admin.user_id().as_str());
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 180);
    for name in ["nbf", "jti", "scope"] {
        assert!(c.get(name).is_some(), "subject token lacks {name}");
    }
    let id = claims(&fragment_param(&location, "id_token").unwrap());
    assert_eq!(id["sub"], admin.user_id().as_str());
    assert_eq!(id["nonce"], "n-1");
    assert_eq!(id["isk"], admin.session_hash().unwrap());
}

#[tokio::test]
async fn the_exchange_issues_an_impersonated_token_and_the_session_follows() {
    let s = setup().await;
    let admin = s.session(T0).await;
    let admin_id = admin.user_id().clone();
    let (subject_token, actor_token) = subject_and_actor(&s.engine, &s.app, &admin, &s.olga).await;
    let mut params = exchange(&subject_token, &actor_token);
    params.scope = Some("openid internal_login internal_user_impersonate".into());
    let answer = s.engine.token(&s.app, &params, T0).await.unwrap();
    assert_eq!(
        answer.issued_token_type.as_deref(),
        Some("urn:ietf:params:oauth:token-type:access_token")
    );
    assert_eq!(answer.token_type, "Bearer");
    assert_eq!(answer.expires_in, 3600);
    assert!(answer.refresh_token.is_none());
    // Olga's rights, not the impersonator's: she holds no impersonation scope.
    assert_eq!(answer.scope, "internal_login openid");
    let c = claims(&answer.access_token);
    assert_eq!(c["sub"], s.olga.as_str());
    assert_eq!(c["act"]["sub"], admin_id.as_str());
    assert_eq!(c["scope"], "internal_login openid");
    assert_eq!(c["aut"], "APPLICATION_USER");

    // The SSO session is now an impersonation session for Olga: SSO into another application
    // (as the guide's My Account list would launch) yields act as well.
    let olga = s.session(T0).await;
    assert_eq!(olga.user_id(), &s.olga);
    assert_eq!(olga.actor(), Some(&admin_id));
    let second = impersonation_app(&s.engine, &s.admin, true).await;
    crate::access::role(
        &s.engine,
        "Second shop impersonation",
        engine::roles::RoleAudience::Application(second.client_id.clone()),
        &[crate::access::IMPERSONATE],
        &[ADMIN],
    )
    .await;
    let code = code_for(&s.engine, &second, &olga, T0).await;
    let tokens = s.engine.token(&second, &redeem(&code), T0).await.unwrap();
    let c = claims(&tokens.access_token);
    assert_eq!(c["sub"], s.olga.as_str());
    assert_eq!(c["act"]["sub"], admin_id.as_str());
    let refreshed = s
        .engine
        .token(
            &second,
            &refresh(tokens.refresh_token.as_deref().unwrap()),
            Timestamp(T0.0 + 5),
        )
        .await
        .unwrap();
    assert_eq!(
        claims(&refreshed.access_token)["act"]["sub"],
        admin_id.as_str()
    );

    // The same subject again in the same session is fine; a subject token is used once.
    // An invalid subject token is invalid_request (RFC 8693 §2.2.2).
    let again = s.engine.token(&s.app, &params, T0).await.unwrap_err();
    assert_eq!(again.code, "invalid_request");
    let (subject_token, actor_token) = subject_and_actor(&s.engine, &s.app, &olga, &s.olga).await;
    s.engine
        .token(&s.app, &exchange(&subject_token, &actor_token), T0)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_authorization_endpoint_refuses_as_the_contract_says() {
    let s = setup().await;
    let admin = s.session(T0).await;

    // Missing requested_subject: invalid_request, in the fragment, with the contract's words.
    let mut params = subject_request(&s.app, &s.olga);
    params.requested_subject = None;
    let rejection = s
        .engine
        .validate_authorization_request(&params)
        .await
        .unwrap_err();
    let engine::oauth::authorize::AuthorizeRejection::Redirect(location) = rejection else {
        panic!("{rejection:?}")
    };
    assert_eq!(
        fragment_param(&location, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(
        fragment_param(&location, "error_description").as_deref(),
        Some("response_type is subject_token. but requested_subject parameter not found.")
    );

    // An application not allowed subject tokens: unauthorized_client.
    let plain = crate::access::business_app(&s.engine, &[]).await;
    let rejection = s
        .engine
        .validate_authorization_request(&subject_request(&plain, &s.olga))
        .await
        .unwrap_err();
    let engine::oauth::authorize::AuthorizeRejection::Redirect(location) = rejection else {
        panic!("{rejection:?}")
    };
    assert_eq!(
        fragment_param(&location, "error").as_deref(),
        Some("unauthorized_client")
    );

    // An inactive target: access_denied, with the contract's words.
    s.engine
        .set_user_status(&s.admin, &s.olga, engine::users::UserStatus::Locked, T0)
        .await
        .unwrap();
    let location = subject_redirect(&s.engine, &s.app, &admin, &s.olga).await;
    assert_eq!(
        fragment_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        fragment_param(&location, "error_description").as_deref(),
        Some("Cannot impersonate an inactive user account")
    );

    // A signed-in user without an impersonation role for the application.
    crate::access::user(&s.engine, "bob").await;
    let bob = sign_in(&s.engine, "bob", "bob-password")
        .await
        .unwrap()
        .principal;
    let target = crate::access::user(&s.engine, "carol").await;
    let location = subject_redirect(&s.engine, &s.app, &bob, &target).await;
    assert_eq!(
        fragment_param(&location, "error").as_deref(),
        Some("access_denied")
    );
}

#[tokio::test]
async fn one_impersonated_user_per_sso_session() {
    let s = setup().await;
    let admin = s.session(T0).await;
    let (subject_token, actor_token) = subject_and_actor(&s.engine, &s.app, &admin, &s.olga).await;
    let bob = crate::access::user(&s.engine, "bob").await;
    // Bob's subject token was obtained before the session was bound to Olga.
    let (bob_token, bob_actor) = subject_and_actor(&s.engine, &s.app, &admin, &bob).await;
    s.engine
        .token(&s.app, &exchange(&subject_token, &actor_token), T0)
        .await
        .unwrap();
    let second = s
        .engine
        .token(&s.app, &exchange(&bob_token, &bob_actor), T0)
        .await
        .unwrap_err();
    assert_eq!(second.code, "invalid_request");
    assert_eq!(
        second.description,
        "Cannot perform impersonation on more than one user in the same session."
    );
    // And at the authorization endpoint, once the session impersonates Olga.
    let olga = s.session(T0).await;
    let location = subject_redirect(&s.engine, &s.app, &olga, &bob).await;
    assert_eq!(
        fragment_param(&location, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(
        fragment_param(&location, "error_description").as_deref(),
        Some("Cannot perform impersonation on more than one user in the same session.")
    );
}

#[tokio::test]
async fn the_exchange_refuses_as_the_contract_says() {
    let s = setup().await;
    let admin = s.session(T0).await;
    let (subject_token, actor_token) = subject_and_actor(&s.engine, &s.app, &admin, &s.olga).await;

    // Another client: the subject token's audience is not it.
    let other = impersonation_app(&s.engine, &s.admin, true).await;
    let e = s
        .engine
        .token(&other, &exchange(&subject_token, &actor_token), T0)
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid_target");

    // An actor token of someone else than may_act.
    let code = code_for(&s.engine, &s.app, &olga_signed_in(&s).await, T0).await;
    let olga_tokens = s.engine.token(&s.app, &redeem(&code), T0).await.unwrap();
    let e = s
        .engine
        .token(
            &s.app,
            &exchange(&subject_token, olga_tokens.id_token.as_deref().unwrap()),
            T0,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid_request");
    assert_eq!(
        e.description,
        "Subject of actor token and subject are different."
    );

    // Tokens of another issuer: invalid_target, "Invalid issuer values provided" (a second node
    // with another public URL on the same database signs with the same keys).
    let elsewhere = Engine::open(
        &s.url,
        Settings {
            public_url: "https://elsewhere.example".into(),
            ..Settings::for_tests()
        },
    )
    .await
    .unwrap();
    let (foreign_subject, foreign_actor) =
        subject_and_actor(&elsewhere, &s.app, &admin, &s.olga).await;
    let e = s
        .engine
        .token(&s.app, &exchange(&foreign_subject, &foreign_actor), T0)
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid_target");
    assert_eq!(e.description, "Invalid issuer values provided");

    // An expired subject token (180 s, and the leeway).
    let late = Timestamp(T0.0 + 180 + 61);
    let e = s
        .engine
        .token(&s.app, &exchange(&subject_token, &actor_token), late)
        .await
        .unwrap_err();
    assert_eq!(e.code, "invalid_request");

    // A forged subject token (its signature altered), and tokens of the wrong type (the ID token
    // as the subject token, the subject token as the actor token): invalid_request too.
    let at = subject_token.len() - 10;
    let flipped = if &subject_token[at..=at] == "A" {
        "B"
    } else {
        "A"
    };
    let forged = format!(
        "{}{flipped}{}",
        &subject_token[..at],
        &subject_token[at + 1..]
    );
    for (subject, actor) in [
        (forged.as_str(), actor_token.as_str()),
        (actor_token.as_str(), actor_token.as_str()),
        (subject_token.as_str(), subject_token.as_str()),
    ] {
        let e = s
            .engine
            .token(&s.app, &exchange(subject, actor), T0)
            .await
            .unwrap_err();
        assert_eq!(e.code, "invalid_request", "{subject} / {actor}");
    }

    // The user became inactive between the request and the exchange.
    s.engine
        .set_user_status(&s.admin, &s.olga, engine::users::UserStatus::Disabled, T0)
        .await
        .unwrap();
    let e = s
        .engine
        .token(&s.app, &exchange(&subject_token, &actor_token), T0)
        .await
        .unwrap_err();
    assert_eq!(e.code, "access_denied");
    assert_eq!(e.description, "Cannot impersonate an inactive user account");

    // Wrong token types are invalid requests.
    let mut params = exchange(&subject_token, &actor_token);
    params.actor_token_type = Some("urn:ietf:params:oauth:token-type:access_token".into());
    let e = s.engine.token(&s.app, &params, T0).await.unwrap_err();
    assert_eq!(e.code, "invalid_request");
    // A subject token passed as the actor token is not an ID token.
    let e = s
        .engine
        .token(&s.app, &exchange(&subject_token, &subject_token), T0)
        .await
        .unwrap_err();
    assert_ne!(e.code, "server_error");
}

async fn olga_signed_in(s: &Setup) -> Principal {
    sign_in(&s.engine, "olga", "olga-password")
        .await
        .unwrap()
        .principal
}

#[tokio::test]
async fn a_public_client_proves_its_exchange_with_the_pkce_verifier() {
    use crate::oauth::{register, CHALLENGE, VERIFIER};
    use engine::applications::{ClientType, GrantType, ProtocolSettings};
    let s = setup().await;
    let grants = vec![GrantType::AuthorizationCode, GrantType::TokenExchange];
    let (public, _) = register(&s.engine, ClientType::Public, &grants).await;
    s.engine
        .update_application_protocol(
            &s.admin,
            &public.id,
            ProtocolSettings {
                redirect_uris: vec![REDIRECT.into()],
                post_logout_redirect_uris: vec![],
                grant_types: grants,
                pkce_required: true,
                access_token_lifetime: 3600,
                refresh_token_lifetime: 86400,
                id_token_lifetime: 3600,
                subject_token_enabled: true,
                subject_token_lifetime: 180,
                refresh_grace_secs: 0,
            },
            T0,
        )
        .await
        .unwrap();
    let resource =
        crate::access::resource_owning(&s.engine, &s.admin, crate::access::IMPERSONATE).await;
    s.engine
        .authorize_api_resource(
            &s.admin,
            &public.id,
            &resource,
            vec![crate::access::IMPERSONATE.into()],
            T0,
        )
        .await
        .unwrap();
    crate::access::role(
        &s.engine,
        "Public impersonation",
        engine::roles::RoleAudience::Application(public.client_id.clone()),
        &[crate::access::IMPERSONATE],
        &[ADMIN],
    )
    .await;
    let public = s.engine.application(&public.id).await.unwrap();
    let admin = s.session(T0).await;

    // Without a challenge the request is refused.
    let rejection = s
        .engine
        .validate_authorization_request(&subject_request(&public, &s.olga))
        .await
        .unwrap_err();
    let engine::oauth::authorize::AuthorizeRejection::Redirect(location) = rejection else {
        panic!("{rejection:?}")
    };
    assert_eq!(
        fragment_param(&location, "error").as_deref(),
        Some("invalid_request")
    );

    let mut params = subject_request(&public, &s.olga);
    params.code_challenge = Some(CHALLENGE.into());
    params.code_challenge_method = Some("S256".into());
    let AuthorizeStep::Redirect(location) = authorize_step(&s.engine, &params, &admin, T0).await
    else {
        panic!("no redirect")
    };
    let subject_token = fragment_param(&location, "subject_token").unwrap();
    let actor_token = fragment_param(&location, "id_token").unwrap();
    let mut exchange_params = exchange(&subject_token, &actor_token);
    for wrong in [None, Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj")] {
        exchange_params.code_verifier = wrong.map(str::to_owned);
        let e = s
            .engine
            .token(&public, &exchange_params, T0)
            .await
            .unwrap_err();
        assert_eq!(e.code, "invalid_grant", "{wrong:?}");
    }
    // A refused attempt does not use the token up.
    exchange_params.code_verifier = Some(VERIFIER.into());
    let answer = s.engine.token(&public, &exchange_params, T0).await.unwrap();
    assert_eq!(claims(&answer.access_token)["sub"], s.olga.as_str());
}
