//! The provider's own pages: consent, logout confirmation and errors. Plain server-rendered HTML
//! forms (they work without scripts), every value escaped, styled like the rest of Guise.

use axum::response::{Html, IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

/// These pages send the browser on to the application (a redirect after the form is posted), so
/// the policy has no `form-action`: Chromium applies it to that redirect too.
const PAGE_CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; \
     frame-ancestors 'none'";

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Guise</title><link rel=\"stylesheet\" href=\"{}\"></head>\
         <body><main class=\"centered\">{body}</main></body></html>",
        escape(title),
        app::assets::stylesheet_href()
    );
    let mut response = (status, Html(html)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Hidden inputs carrying the original request through a form.
pub fn hidden_fields(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect()
}

/// What a scope means, in words a user can judge.
fn describe(scope: &str) -> String {
    match scope {
        "openid" => "Know who you are (your user identifier)".into(),
        "profile" => "Your name and username".into(),
        "email" => "Your email address".into(),
        "offline_access" => "Keep access while you are signed out".into(),
        "internal_login" => "View and edit your own profile".into(),
        "internal_user_mgt_list" => "List users".into(),
        "internal_user_mgt_view" => "View users".into(),
        "internal_user_mgt_create" => "Create users".into(),
        "internal_user_mgt_update" => "Update users".into(),
        "internal_user_mgt_delete" => "Delete users".into(),
        other => other.to_owned(),
    }
}

pub fn consent(
    app_name: &str,
    user: &str,
    scopes: &[String],
    carried: &[(String, String)],
) -> Response {
    let items: String = scopes
        .iter()
        .map(|s| {
            format!(
                "<li><strong>{}</strong> <code>{}</code></li>",
                escape(&describe(s)),
                escape(s)
            )
        })
        .collect();
    let list = if items.is_empty() {
        "<p>It asks for no information beyond signing you in.</p>".to_owned()
    } else {
        format!("<p>It will be able to:</p><ul class=\"consent-scopes\">{items}</ul>")
    };
    let body = format!(
        "<h1>{app} wants to access your account</h1>\
         <p>You are signed in as <strong>{user}</strong>.</p>{list}\
         <form method=\"post\" action=\"/oauth2/consent\" class=\"actions\">{hidden}\
         <button type=\"submit\" name=\"decision\" value=\"allow\" class=\"primary\">Allow</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>",
        app = escape(app_name),
        user = escape(user),
        hidden = hidden_fields(carried),
    );
    page(StatusCode::OK, "Allow access", &body)
}

pub fn logout(app_name: Option<&str>, carried: &[(String, String)]) -> Response {
    let from = app_name
        .map(|a| format!("<p>{} asks to sign you out.</p>", escape(a)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Sign out of Guise?</h1>{from}\
         <p>You will be signed out of every application that uses this sign-in.</p>\
         <form method=\"post\" action=\"/oidc/logout/confirm\" class=\"actions\">{hidden}\
         <button type=\"submit\" name=\"decision\" value=\"logout\" class=\"primary\">Sign out</button>\
         <button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button></form>",
        hidden = hidden_fields(carried),
    );
    page(StatusCode::OK, "Sign out", &body)
}

pub fn signed_out() -> Response {
    page(
        StatusCode::OK,
        "Signed out",
        "<h1>You are signed out</h1><p><a href=\"/login\">Sign in again</a></p>",
    )
}

pub fn error(title: &str, message: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p class=\"alert alert-error\" role=\"alert\">{}</p>\
         <p>Return to the application and try again, or contact its administrator.</p>",
        escape(title),
        escape(message)
    );
    page(StatusCode::BAD_REQUEST, title, &body)
}

/// The form that ends the browser session's impersonation (a plain POST: it works unhydrated).
pub const STOP_IMPERSONATING_FORM: &str =
    "<form method=\"post\" action=\"/auth/impersonation/stop\">\
     <button type=\"submit\" class=\"btn btn-primary\">Stop impersonating</button></form>";

/// A sign-in refused to an impersonation session (or an application switched off): why, and the
/// ways on. Never a redirect to the client: it would look like the user had signed in.
pub fn refused(title: &str, message: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p class=\"alert alert-error\" role=\"alert\">{}</p>\
         <p><a href=\"/myaccount\">Back to My Account</a></p>{STOP_IMPERSONATING_FORM}",
        escape(title),
        escape(message)
    );
    page(StatusCode::FORBIDDEN, title, &body)
}

/// The Console while the browser session impersonates someone: paused, the administrator's own
/// Console comes back when the impersonation stops (the same words as the loaded Console's notice).
pub fn console_while_impersonating(subject_username: &str) -> Response {
    let body = format!(
        "<h1>The Console is paused</h1>\
         <p class=\"alert alert-info\" role=\"status\">This browser is impersonating {}. While it does, \
         the Console is paused, so that nothing here is done by mistake in the user's name.</p>\
         <p><a href=\"/myaccount\">Go to the impersonation</a></p>{STOP_IMPERSONATING_FORM}",
        escape(subject_username)
    );
    page(StatusCode::FORBIDDEN, "The Console is paused", &body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<a href=\"x\">'&"),
            "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
        );
    }
}
