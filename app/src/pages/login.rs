use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The one login page of the server. A plain HTML form posted to `/auth/login`, so signing in works
/// before the page hydrates; failures come back as `?error=…`. Users of an organization below the
/// root name it by its handle.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &'static str| query.with_untracked(|q| q.get(key)).unwrap_or_default();
    let message = match get("error").as_str() {
        "" => None,
        "invalid_credentials" => Some("Incorrect username or password.".to_owned()),
        "locked" => Some("This account is locked. Contact your administrator.".to_owned()),
        "disabled" => Some("This account is disabled. Contact your administrator.".to_owned()),
        "throttled" => Some(format!(
            "Too many failed sign-in attempts. Try again in {} seconds.",
            get("retry_after").parse::<u32>().unwrap_or(60)
        )),
        "forbidden_origin" => {
            Some("The sign-in request did not come from this site. Try again.".to_owned())
        }
        "sign_in_expired" => Some("Your sign-in took too long. Sign in again.".to_owned()),
        // Said beside the field instead.
        "unknown_organization" | "invalid_code" => None,
        _ => Some("Sign-in failed. Try again.".to_owned()),
    };
    let organization_error = (get("error") == "unknown_organization")
        .then_some("No active organization has this handle.");
    let return_to = get("return_to");
    if get("step") == "code" {
        let code_error = (get("error") == "invalid_code")
            .then_some("That code is not right, or it was already used.");
        return view! { <SecondStep message code_error return_to /> }.into_any();
    }
    let username = get("username");
    let organization = get("organization");
    view! {
        <Title text="Sign in · Guise" />
        <main class="centered login">
            <h1>"Sign in"</h1>
            {message.map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            <form method="post" action="/auth/login" class="stack">
                <input type="hidden" name="return_to" value=return_to />
                <div class="field">
                    <label for="organization">"Organization"</label>
                    <input
                        id="organization"
                        name="organization"
                        autocomplete="organization"
                        value=organization
                        aria-describedby="organization-hint"
                        aria-invalid=organization_error.map(|_| "true")
                    />
                    <small id="organization-hint" class="hint">
                        "The handle of your organization. Leave empty to sign in to the root organization."
                    </small>
                    {organization_error
                        .map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <div class="field">
                    <label for="username">"Username"</label>
                    <input id="username" name="username" autocomplete="username" required value=username />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                <button type="submit" class="primary">"Sign in"</button>
            </form>
        </main>
    }
    .into_any()
}

/// The sign-in's second step: a code from the authenticator app, or a recovery code. Posted to
/// `/auth/login/code`, which holds the challenge in a cookie of its own.
#[component]
fn SecondStep(
    message: Option<String>,
    code_error: Option<&'static str>,
    return_to: String,
) -> impl IntoView {
    let start_again = if return_to.is_empty() {
        "/login".to_owned()
    } else {
        format!(
            "/login?return_to={}",
            crate::model::audit::percent_encode(&return_to)
        )
    };
    view! {
        <Title text="Two-step verification · Guise" />
        <main class="centered login">
            <h1>"Two-step verification"</h1>
            {message.map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            <form method="post" action="/auth/login/code" class="stack">
                <input type="hidden" name="return_to" value=return_to />
                <div class="field">
                    <label for="code">"Code"</label>
                    <input
                        id="code"
                        name="code"
                        autocomplete="one-time-code"
                        autocapitalize="characters"
                        spellcheck="false"
                        required
                        autofocus
                        aria-describedby="code-hint"
                        aria-invalid=code_error.map(|_| "true")
                    />
                    <small id="code-hint" class="hint">
                        "The 6-digit code your authenticator app shows, or one of your recovery codes."
                    </small>
                    {code_error.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <button type="submit" class="primary">"Verify"</button>
            </form>
            <p><a href=start_again>"Sign in again"</a></p>
        </main>
    }
}
