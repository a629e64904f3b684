use crate::model::{AppError, ImpersonationAvailability, JustificationAsk};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A user's **Impersonate User**: a plain form that posts into a new tab, so the tab opens on the
/// click itself and the button works before hydration. `availability` is the server's answer
/// beforehand; when it refuses, the button is disabled with the reason beside it, and when the
/// organization's step-up asks the administrator to confirm who they are first, a form for that
/// (also a plain form: `/auth/confirm-identity`, which comes back here). The server decides again
/// when the form arrives.
#[component]
pub fn ImpersonateUser(
    user_id: String,
    availability: Result<ImpersonationAvailability, AppError>,
) -> impl IntoView {
    let none = JustificationAsk::default;
    let (reason, confirm, ask) = match availability {
        Ok(ImpersonationAvailability::Available { ask }) => (None, None, ask),
        Ok(ImpersonationAvailability::Unavailable { reason }) => (Some(reason), None, none()),
        Ok(ImpersonationAvailability::ConfirmIdentity { second_factor }) => (
            Some(
                "Confirm who you are to start an impersonation: it needs a recent sign-in."
                    .to_owned(),
            ),
            Some(second_factor),
            none(),
        ),
        Err(e) => (Some(e.to_string()), None, none()),
    };
    let disabled = reason.is_some();
    let here = format!("/console/users/{user_id}");
    view! {
        <section class="card impersonate" aria-labelledby="impersonate-title">
            <h2 id="impersonate-title">"Impersonation"</h2>
            <p class="hint">
                "Opens My Account as this user in a new tab, with you recorded as the real actor. From there you can launch the applications you may use as them."
            </p>
            {confirm.map(|second_factor| view! { <ConfirmIdentity second_factor return_to=here /> })}
            <form class="impersonate-form" method="post" action="/auth/impersonation/start" target="_blank">
                <input type="hidden" name="user_id" value=user_id />
                {ask.asked.then(|| view! { <JustificationFields ask /> })}
                <button
                    type="submit"
                    class="primary"
                    disabled=disabled
                    aria-describedby=disabled.then_some("impersonate-reason")
                >
                    "Impersonate User"
                </button>
                {reason.map(|r| view! { <p class="impersonate-reason" id="impersonate-reason">{r}</p> })}
            </form>
        </section>
    }
}

/// The step-up: the password again, and the authenticator app's code when the administrator has
/// one. A failure comes back as `?confirm_error=…` (`password`, `code`, `throttled`).
#[component]
fn ConfirmIdentity(second_factor: bool, return_to: String) -> impl IntoView {
    let query = use_query_map();
    let error = query
        .with_untracked(|q| q.get("confirm_error"))
        .unwrap_or_default();
    let retry = query
        .with_untracked(|q| q.get("retry_after"))
        .unwrap_or_default();
    let password_error = (error == "password").then_some("The password is not correct.");
    let code_error = (error == "code").then_some("That code is not right, or it was already used.");
    let throttled = (error == "throttled")
        .then(|| format!("Too many failed attempts. Try again in {retry} seconds."));
    view! {
        <form class="stack narrow confirm-identity" method="post" action="/auth/confirm-identity" aria-labelledby="confirm-identity-title">
            <h3 id="confirm-identity-title">"Confirm it's you"</h3>
            {throttled.map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            <input type="hidden" name="return_to" value=return_to />
            <div class="field">
                <label for="confirm-password">"Your password"</label>
                <input id="confirm-password" name="password" type="password" autocomplete="current-password" required aria-invalid=password_error.map(|_| "true") />
                {password_error.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </div>
            {second_factor.then(|| view! {
                <div class="field">
                    <label for="confirm-code">"Code"</label>
                    <input id="confirm-code" name="code" autocomplete="one-time-code" required aria-invalid=code_error.map(|_| "true") aria-describedby="confirm-code-hint" />
                    <small id="confirm-code-hint" class="hint">"From your authenticator app, or a recovery code."</small>
                    {code_error.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
            })}
            <div class="actions">
                <button type="submit" class="primary">"Confirm"</button>
            </div>
        </form>
    }
}

/// **Reason** and **Ticket**, when the organization asks for them: the browser holds a required
/// one, or a ticket id of the wrong shape, before the form is sent (the server decides again).
#[component]
fn JustificationFields(ask: JustificationAsk) -> impl IntoView {
    let ticket_hint = match &ask.ticket_pattern {
        Some(pattern) => format!("The id of the support request, like {pattern}."),
        None => "The id of the support request, if there is one.".to_owned(),
    };
    let ticket_required = ask.required && ask.ticket_pattern.is_some();
    // HTML's pattern attribute matches the whole value, as the server does.
    let pattern = ask.ticket_pattern.clone();
    view! {
        <div class="field">
            <label for="impersonation-reason">"Reason"</label>
            <textarea id="impersonation-reason" name="reason" rows="2" maxlength="500" required=ask.required aria-describedby="impersonation-reason-hint"></textarea>
            <small id="impersonation-reason-hint" class="hint">"Why you impersonate this user. The user sees it, and so does the audit trail."</small>
        </div>
        <div class="field">
            <label for="impersonation-ticket">"Ticket"</label>
            <input id="impersonation-ticket" name="ticket" maxlength="100" required=ticket_required pattern=pattern aria-describedby="impersonation-ticket-hint" />
            <small id="impersonation-ticket-hint" class="hint">{ticket_hint}</small>
        </div>
    }
}
