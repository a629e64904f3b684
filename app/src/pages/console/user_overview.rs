use super::user_second_factors::SecondFactorsCard;
use crate::api::console_users::{EndUserSession, ResetSecondFactors};
use crate::components::{ConfirmDialog, ErrorNote};
use crate::model::{AppError, ConsoleSession, HeldRole, UserOverview, UserSession};
use leptos::prelude::*;

/// A user's roles (with each one's audience), active sessions (each can be ended, after
/// confirmation), last sign-in and two-step verification, on their page in the Console. Read in a Transition of its own,
/// so that ending a session reloads these cards alone, never the profile form above them.
#[component]
pub fn UserOverviewCards(
    user_id: String,
    /// Made by the page, before its Transition, so that it hydrates.
    overview: Resource<Result<UserOverview, AppError>>,
    end: ServerAction<EndUserSession>,
    reset_factors: ServerAction<ResetSecondFactors>,
) -> impl IntoView {
    let user_id = StoredValue::new(user_id);
    // The session the administrator asked to end, while the dialog asks.
    let ending = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let ask_to_end = move |handle: String| {
        ending.set(Some(handle));
        confirming.set(true);
    };
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading roles and sessions…"</p> }>
            {move || {
                overview
                    .get()
                    .map(|result| match result {
                        Ok(UserOverview { roles, sessions, last_sign_in, second_factors }) => {
                            view! {
                                <dl class="facts">
                                    <dt>"Last sign-in"</dt>
                                    <dd>{last_sign_in.unwrap_or_else(|| "Never".to_owned())}</dd>
                                </dl>
                                <RolesCard roles />
                                <SessionsCard sessions end ask_to_end />
                                <SecondFactorsCard user_id summary=second_factors reset=reset_factors />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Transition>
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
}

#[component]
fn RolesCard(roles: Vec<HeldRole>) -> impl IntoView {
    let list = if roles.is_empty() {
        view! { <p class="empty">"No roles."</p> }.into_any()
    } else {
        view! {
            <table class="list">
                <thead><tr><th scope="col">"Role"</th><th scope="col">"Audience"</th></tr></thead>
                <tbody>
                    {roles
                        .into_iter()
                        .map(|r| view! {
                            <tr>
                                <td><a href=format!("/console/roles/{}", r.id)>{r.name}</a></td>
                                <td>{r.audience}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="user-roles-title">
            <h2 id="user-roles-title">"Roles"</h2>
            {list}
        </section>
    }
}

#[component]
fn SessionsCard(
    sessions: Vec<UserSession>,
    end: ServerAction<EndUserSession>,
    ask_to_end: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.users.update);
    let ended = move || matches!(end.value().get(), Some(Ok(())));
    let failed = move || {
        end.value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote error=e /> })
    };
    let list = if sessions.is_empty() {
        view! { <p class="empty">"No active sessions."</p> }.into_any()
    } else {
        let rows = sessions
            .into_iter()
            .map(|s| {
                let label = format!("End the session signed in at {}", s.signed_in_at);
                let handle = s.handle;
                view! {
                    <tr>
                        <td>
                            {s.signed_in_at}
                            {s.impersonating.then(|| view! { " "<span class="status status-pending">"Impersonating"</span> })}
                        </td>
                        <td>{s.expires_at}</td>
                        <td>
                            {can_update.then(|| view! {
                                <button type="button" aria-label=label on:click=move |_| ask_to_end(handle.clone())>
                                    "End session"
                                </button>
                            })}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">"Signed in"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="user-sessions-title">
            <h2 id="user-sessions-title">"Active sessions"</h2>
            {failed}
            <Show when=ended>
                <p class="alert alert-success" role="status">"The session was ended: that browser must sign in again."</p>
            </Show>
            {list}
        </section>
    }
}
