use crate::model::{AppError, ImpersonationAvailability};
use leptos::prelude::*;

/// A user's **Impersonate User**: a plain form that posts into a new tab, so the tab opens on the
/// click itself and the button works before hydration. `availability` is the server's answer
/// beforehand; when it refuses, the button is disabled with the reason beside it. The server
/// decides again when the form arrives.
#[component]
pub fn ImpersonateUser(
    user_id: String,
    availability: Result<ImpersonationAvailability, AppError>,
) -> impl IntoView {
    let reason = match availability {
        Ok(ImpersonationAvailability::Available) => None,
        Ok(ImpersonationAvailability::Unavailable { reason }) => Some(reason),
        Err(e) => Some(e.to_string()),
    };
    let disabled = reason.is_some();
    view! {
        <section class="card impersonate" aria-labelledby="impersonate-title">
            <h2 id="impersonate-title">"Impersonation"</h2>
            <p class="hint">
                "Opens My Account as this user in a new tab, with you recorded as the real actor. From there you can launch the applications you may use as them."
            </p>
            <form class="impersonate-form" method="post" action="/auth/impersonation/start" target="_blank">
                <input type="hidden" name="user_id" value=user_id />
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
