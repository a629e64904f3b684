use crate::api::console_users::EndUserSession;
use crate::components::{ConfirmDialog, ErrorNote};
use crate::model::{AppError, ConsoleSession, UserOverview};
use leptos::prelude::*;

/// A user's roles (with each one's audience), active sessions (each can be ended, after
/// confirmation) and last sign-in, on their page in the Console.
#[component]
pub fn UserOverviewCards(
    user_id: String,
    overview: Result<UserOverview, AppError>,
    end: ServerAction<EndUserSession>,
) -> impl IntoView {
    let overview = match overview {
        Ok(o) => o,
        Err(e) => return view! { <ErrorNote error=e /> }.into_any(),
    };
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.users.update);
    let user_id = StoredValue::new(user_id);
    // The session the administrator asked to end, while the dialog asks.
    let ending = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let ended = move || matches!(end.value().get(), Some(Ok(())));
    let failed = move || {
        end.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote error=e /> })
    };
    let last_sign_in = overview
        .last_sign_in
        .clone()
        .unwrap_or_else(|| "Never".to_owned());
    let roles = overview.roles.clone();
    let no_roles = roles.is_empty();
    let sessions = overview.sessions.clone();
    let no_sessions = sessions.is_empty();
    view! {
        <dl class="facts">
            <dt>"Last sign-in"</dt><dd>{last_sign_in}</dd>
        </dl>
        <section class="card" aria-labelledby="user-roles-title">
            <h2 id="user-roles-title">"Roles"</h2>
            <Show when=move || no_roles fallback=move || {
                let roles = roles.clone();
                view! {
                    <table class="list">
                        <thead><tr><th scope="col">"Role"</th><th scope="col">"Audience"</th></tr></thead>
                        <tbody>
                            {roles.into_iter().map(|r| view! {
                                <tr>
                                    <td><a href=format!("/console/roles/{}", r.id)>{r.name}</a></td>
                                    <td>{r.audience}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            }>
                <p class="empty">"No roles."</p>
            </Show>
        </section>
        <section class="card" aria-labelledby="user-sessions-title">
            <h2 id="user-sessions-title">"Active sessions"</h2>
            {failed}
            <Show when=ended>
                <p class="alert alert-success" role="status">"The session was ended: that browser must sign in again."</p>
            </Show>
            <Show when=move || no_sessions fallback=move || {
                let sessions = sessions.clone();
                view! {
                    <table class="list">
                        <thead>
                            <tr>
                                <th scope="col">"Signed in"</th>
                                <th scope="col">"Expires"</th>
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {sessions.into_iter().map(|s| {
                                let handle = s.handle.clone();
                                let label = format!("End the session signed in at {}", s.signed_in_at);
                                view! {
                                    <tr>
                                        <td>
                                            {s.signed_in_at.clone()}
                                            {s.impersonating.then(|| view! { " "<span class="status status-pending">"Impersonating"</span> })}
                                        </td>
                                        <td>{s.expires_at}</td>
                                        <td>
                                            <Show when=move || can_update>
                                                <button
                                                    type="button"
                                                    aria-label=label.clone()
                                                    on:click={
                                                        let handle = handle.clone();
                                                        move |_| {
                                                            ending.set(Some(handle.clone()));
                                                            confirming.set(true);
                                                        }
                                                    }
                                                >
                                                    "End session"
                                                </button>
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            }>
                <p class="empty">"No active sessions."</p>
            </Show>
        </section>
        <ConfirmDialog
            open=confirming
            title="End this session?".to_string()
            message="That browser is signed out at once, and what the user signed into through it stops working.".to_string()
            confirm_label="End session"
            on_confirm=move || {
                if let Some(handle) = ending.get_untracked() {
                    end.dispatch(EndUserSession { id: user_id.get_value(), handle });
                }
            }
        />
    }
    .into_any()
}
