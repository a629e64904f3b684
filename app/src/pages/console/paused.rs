//! The Console of a browser whose session is impersonating someone. The impersonation starts in
//! another tab, so the Console tab the administrator left behind finds out when it is looked at
//! again: it asks the server once more each time it becomes visible, and says it is paused, over the
//! page (whatever was typed there stays beneath), with the way to the impersonation and out of it.

use crate::api::session::load_console_session;
use crate::components::StopImpersonating;
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
            <StopImpersonating />
        </div>
        <p class="hint">"Stopping brings you back to the user's page in the Console, as yourself."</p>
    }
}

/// Covers a loaded Console while the browser's session impersonates someone; gone again when the
/// impersonation has stopped.
#[component]
pub fn PausedWhileImpersonating() -> impl IntoView {
    let paused = RwSignal::new(false);
    // Coming back to a tab fires both events: one question is enough.
    let asking = StoredValue::new(false);
    // Effects run only in the browser: no listener is made while rendering on the server.
    Effect::new(move |_| {
        let check = move |_| {
            // A tab being hidden, or a question already on its way, needs no new one.
            if document().hidden() || asking.get_value() {
                return;
            }
            asking.set_value(true);
            leptos::task::spawn_local(async move {
                match load_console_session().await {
                    Err(AppError::ConsolePaused) => paused.set(true),
                    Ok(_) => paused.set(false),
                    // Signed out, or the server unreachable: the next request says so itself.
                    Err(_) => {}
                }
                asking.set_value(false);
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
