//! A sign-in's second step over HTTP: after the right password, a user with an authenticator app
//! is sent back to the login page for a code, holding the challenge in a cookie only the code
//! form's target receives; the session cookie comes with the right code alone.

use super::mail::sign_in_admin;
use super::*;
use engine::factors::totp::{code_at_step, from_base32, step_at};

fn set_cookies(r: &http::Response<Body>) -> Vec<String> {
    r.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

async fn post_code(
    app: &Router,
    cookie: Option<&str>,
    code: &str,
    site: &str,
) -> http::Response<Body> {
    let mut request = form_post("/auth/login/code", Some(site));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let body = format!("code={code}&return_to=%2Fconsole");
    send(app, request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn a_user_with_an_authenticator_app_signs_in_in_two_steps() {
    let (app, engine) = app_with_engine().await;
    let now = SystemClock.now();
    let admin = sign_in_admin(&engine, now).await;
    let setup = engine
        .begin_authenticator_app(&admin.principal, now)
        .await
        .unwrap();
    let secret = from_base32(&setup.secret).unwrap();
    let step = step_at(now.0);
    engine
        .confirm_authenticator_app(&admin.principal, &code_at_step(&secret, step), now)
        .await
        .unwrap();

    let r = login(
        &app,
        "username=admin&password=admin-password-1&return_to=%2Fconsole",
        Some("same-origin"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login?step=code&return_to=%2Fconsole");
    let cookies = set_cookies(&r);
    assert_eq!(cookies.len(), 1, "no session yet: {cookies:?}");
    for part in [
        "guise_sign_in=",
        "Path=/auth/login/code",
        "HttpOnly",
        "SameSite=Lax",
        "Max-Age=300",
    ] {
        assert!(cookies[0].contains(part), "{} lacks {part}", cookies[0]);
    }
    let challenge = cookies[0].split(';').next().unwrap().to_owned();

    // Without the challenge, or from another site: nothing.
    let r = post_code(&app, None, "123456", "same-origin").await;
    assert_eq!(
        location(&r),
        "/login?error=sign_in_expired&return_to=%2Fconsole"
    );
    let next = code_at_step(&secret, step + 1);
    let r = post_code(&app, Some(&challenge), &next, "cross-site").await;
    assert_eq!(location(&r), "/login?error=forbidden_origin");
    assert!(set_cookies(&r).is_empty());

    // A wrong code: the form again, the challenge kept.
    let wrong = if next == "000000" { "111111" } else { "000000" };
    let r = post_code(&app, Some(&challenge), wrong, "same-origin").await;
    assert_eq!(
        location(&r),
        "/login?step=code&error=invalid_code&return_to=%2Fconsole"
    );
    assert!(set_cookies(&r).is_empty());

    // The code the app shows next: signed in, the challenge forgotten.
    let r = post_code(&app, Some(&challenge), &next, "same-origin").await;
    assert_eq!(location(&r), "/console");
    let cookies = set_cookies(&r);
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("guise_session=") && !c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("guise_sign_in=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    // Spent: the same challenge starts the sign-in over.
    let r = post_code(&app, Some(&challenge), &next, "same-origin").await;
    assert_eq!(
        location(&r),
        "/login?error=sign_in_expired&return_to=%2Fconsole"
    );
}

#[tokio::test]
async fn the_login_page_asks_for_the_code_with_its_own_form() {
    let app = app().await;
    let r = send(
        &app,
        Request::get("/login?step=code&error=invalid_code&return_to=%2Fconsole")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    let html = String::from_utf8_lossy(&body);
    for part in [
        "Two-step verification",
        "action=\"/auth/login/code\"",
        "autocomplete=\"one-time-code\"",
        "That code is not right, or it was already used.",
        "value=\"/console\"",
    ] {
        assert!(html.contains(part), "the page lacks {part}");
    }
}

#[tokio::test]
async fn confirming_who_one_is_comes_back_to_the_page_with_the_answer() {
    let app = app().await;
    let cookie = admin_cookie(&app).await;
    let post = |body: &'static str, cookie: Option<String>, site: &'static str| {
        let app = app.clone();
        async move {
            let mut request = form_post("/auth/confirm-identity", Some(site));
            if let Some(cookie) = cookie {
                request = request.header(header::COOKIE, cookie);
            }
            send(&app, request.body(Body::from(body)).unwrap()).await
        }
    };
    let page = "return_to=%2Fconsole%2Fusers%2Fabc";
    let r = post(
        "password=wrong&return_to=%2Fconsole%2Fusers%2Fabc",
        Some(cookie.clone()),
        "same-origin",
    )
    .await;
    assert_eq!(location(&r), "/console/users/abc?confirm_error=password");
    let r = post(
        "password=admin-password-1&return_to=%2Fconsole%2Fusers%2Fabc",
        Some(cookie.clone()),
        "same-origin",
    )
    .await;
    assert_eq!(location(&r), "/console/users/abc");
    // Never anywhere but our own pages.
    let r = post(
        "password=admin-password-1&return_to=https%3A%2F%2Fevil.example",
        Some(cookie.clone()),
        "same-origin",
    )
    .await;
    assert_eq!(location(&r), "/myaccount");
    // Without a session: sign in first, then back.
    let r = post(
        "password=admin-password-1&return_to=%2Fconsole%2Fusers%2Fabc",
        None,
        "same-origin",
    )
    .await;
    assert_eq!(location(&r), format!("/login?{page}"));
    // From another site: refused before anything is checked.
    let r = post(
        "password=admin-password-1&return_to=%2Fconsole",
        Some(cookie),
        "cross-site",
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
