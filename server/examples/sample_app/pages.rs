//! The sample's HTML. Everything that comes from outside (claims, the country, error text) is
//! escaped where it is written into the page.

use crate::sessions::{Notice, SignedIn};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Sample application</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         .acting{{background:#fff3cd;border:2px solid #b58100;padding:.75rem;font-weight:bold}}\
         .saved{{color:#14632d}}.failed{{color:#a1131a}}code{{background:#eee;padding:0 .2rem}}</style>\
         </head><body><h1>Sample business application</h1>\n{body}\n</body></html>",
        title = escape(title),
    )
}

pub fn signed_out() -> Response {
    Html(page(
        "Welcome",
        "<p>You are not signed in.</p>\n<p><a href=\"/login\">Sign in with Guise</a></p>",
    ))
    .into_response()
}

/// The signed-in home page: who, on whose behalf, the country and the form to change it.
pub fn signed_in(
    user: &SignedIn,
    country: &Result<String, String>,
    notice: Option<&Notice>,
    form_token: &str,
) -> Response {
    let name = user.username.as_deref().unwrap_or(&user.sub);
    let mut body = format!(
        "<p id=\"signed-in\">Signed in as <strong>{}</strong></p>\n<p>Subject (<code>sub</code>): <code id=\"sub\">{}</code></p>\n",
        escape(name),
        escape(&user.sub)
    );
    if let Some(organization) = &user.organization {
        body.push_str(&format!(
            "<p>Organization: <strong id=\"organization\">{}</strong></p>\n",
            escape(organization)
        ));
    }
    if let Some(actor) = &user.actor {
        body.push_str(&format!(
            "<p id=\"acting\" class=\"acting\">Acting on behalf of {} ({}) by {}</p>\n",
            escape(name),
            escape(&user.sub),
            escape(actor)
        ));
    }
    body.push_str("<h2>Country</h2>\n");
    match notice {
        Some(Notice::Saved(message)) => body.push_str(&format!(
            "<p id=\"notice\" class=\"saved\" role=\"status\">{}</p>\n",
            escape(message)
        )),
        Some(Notice::Failed(message)) => body.push_str(&format!(
            "<p id=\"notice\" class=\"failed\" role=\"alert\">The country was not changed: {}</p>\n",
            escape(message)
        )),
        None => {}
    }
    let current = match country {
        Ok(c) if c.is_empty() => "<p id=\"country\">Your country is not set.</p>".to_owned(),
        Ok(c) => format!(
            "<p id=\"country\">Your country: <strong>{}</strong></p>",
            escape(c)
        ),
        Err(e) => format!(
            "<p id=\"country\" class=\"failed\">Your country could not be read: {}</p>",
            escape(e)
        ),
    };
    body.push_str(&current);
    body.push_str(&format!(
        "\n<form method=\"post\" action=\"/country\">\
         <input type=\"hidden\" name=\"form_token\" value=\"{}\">\
         <label for=\"country-input\">New country</label> \
         <input id=\"country-input\" name=\"country\" value=\"{}\"> \
         <button type=\"submit\">Change country</button></form>\n\
         <p><a href=\"/logout\">Sign out</a></p>",
        escape(form_token),
        escape(country.as_deref().unwrap_or_default())
    ));
    Html(page("Home", &body)).into_response()
}

/// An error page; the sample answers every failure with one.
pub fn error(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<p id=\"error\" class=\"failed\" role=\"alert\">{}</p>\n<p><a href=\"/\">Back to the start</a></p>",
        escape(message)
    );
    (status, Html(page("Error", &body))).into_response()
}
