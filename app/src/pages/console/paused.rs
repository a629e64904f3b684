//! The Console of a browser whose session is impersonating someone. The impersonation starts in
//! another tab, so the Console tab the administrator left behind finds out when it is looked at
//! again: it asks the server once more each time it becomes visible, and says it is paused, over the
//! page (whatever was typed there stays beneath), with the way to the impersonation and out of it.

use crate::api::session::load_console_session;
use crate::model::AppError;
use leptos::prelude::*;

/// What the paused Console says, and its two ways on.
#[component]
pub fn ConsolePausedNotice() -> impl IntoView {
    view! {
        <h1 id="console-paused-title">"The Console is paused"</h1>
        <p id="console-paused-why">
            "This browser is impersonating a user. While it does, the Console is paused, so that "
            "nothing here is done by mistake in the user's name."
        </p>
        <div class="actions">
            <a class="button" href="/myaccount">"Go to the impersonation"</a>
            <form method="post" action="/auth/impersonation/stop" class="stop-impersonating">
                <button type="submit" class="danger">"Stop impersonating"</button>
            </form>
        </div>
        <p class="hint">"Stopping brings you back to the user's page in the Console, as yourself."</p>
    }
}

/// Covers a loaded Console while the browser's session impersonates someone; gone again when the
/// impersonation has stopped.
#[component]
pub fn PausedWhileImpersonating() -> impl IntoView {
    let paused = RwSignal::new(false);
    // Effects run only in the browser: no listener is made while rendering on the server.
    Effect::new(move |_| {
        let check = move |_| {
            leptos::task::spawn_local(async move {
                match load_console_session().await {
                    Err(AppError::ConsolePaused) => paused.set(true),
                    Ok(_) => paused.set(false),
                    // Signed out, or the server unreachable: the next request says so itself.
                    Err(_) => {}
                }
            });
        };
        let on_visible = window_event_listener_untyped("visibilitychange", check);
        let on_focus = window_event_listener_untyped("focus", check);
        on_cleanup(move || {
            on_visible.remove();
            on_focus.remove();
        });
    });
    view! {
        <Show when=move || paused.get()>
            <div class="dialog-backdrop">
                <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="console-paused-title" aria-describedby="console-paused-why">
                    <ConsolePausedNotice />
                </div>
            </div>
        </Show>
    }
}
