use crate::api::console_impersonation::{
    load_impersonation_availability, load_impersonation_history,
};
use crate::api::console_users::{
    get_user, load_user_overview, DeleteUser, EndUserSession, ResetSecondFactors, SetUserStatus,
    UpdateUser,
};
use crate::components::{field_error, successful_saves, ConfirmDialog, ErrorNote, TextField};
use crate::model::{
    AppError, ConsoleSession, ImpersonationAvailability, ImpersonationHistory, UserDetail,
    UserOverview, UserStatus,
};
use crate::pages::console::user_impersonate::ImpersonateUser;
use crate::pages::console::user_impersonations::ImpersonationSessions;
use crate::pages::console::user_overview::UserOverviewCards;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// A user's page: view and edit the profile, lock or disable, impersonate and see their
/// impersonation sessions, delete after confirmation.
#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let update = ServerAction::<UpdateUser>::new();
    let set_status = ServerAction::<SetUserStatus>::new();
    let delete = ServerAction::<DeleteUser>::new();
    // Reloads after every saved change, so the page shows what is stored; a failed save leaves
    // the form as typed.
    let saved = successful_saves(update.value(), update.version());
    let user = Resource::new(
        move || (id(), saved.get(), set_status.version().get()),
        |(id, _, _)| get_user(id),
    );
    // Whether Impersonate User is offered follows the user's status. Loaded beside the user and
    // read in the same Transition: a resource made inside resolved content does not hydrate.
    let availability = Resource::new(
        move || (id(), set_status.version().get()),
        |(id, _)| load_impersonation_availability(id),
    );
    let history = Resource::new(id, load_impersonation_history);
    let end_session = ServerAction::<EndUserSession>::new();
    let reset_factors = ServerAction::<ResetSecondFactors>::new();
    // Roles, sessions, last sign-in and second factors: again after a session is ended, the status
    // changes (locking ends every session) or two-step verification is reset.
    let overview = Resource::new(
        move || {
            (
                id(),
                end_session.version().get(),
                set_status.version().get(),
                reset_factors.version().get(),
            )
        },
        |(id, _, _, _)| load_user_overview(id),
    );
    let created = use_query_map().with_untracked(|q| q.get("created").is_some());

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/console/users", Default::default());
        }
    });

    view! {
        <p class="breadcrumb">
            <A href="/console/users">"Users"</A>
            " / "
            <Transition fallback=|| "User">
                {move || user.get().map(|u| u.map(|d| d.summary.username).unwrap_or_else(|_| "User".to_owned()))}
            </Transition>
        </p>
        <Show when=move || created>
            <p class="alert alert-success" role="status">"The user was added."</p>
        </Show>
        <Transition fallback=|| view! { <p class="loading">"Loading user…"</p> }>
            {move || {
                // All three are read on every run, so the Transition waits for each of them.
                let (user, availability, history) = (user.get(), availability.get(), history.get());
                let (user, availability, history) = (user?, availability?, history?);
                Some(match user {
                    Ok(detail) => {
                        let impersonation = Impersonation { availability, history };
                        let activity = Activity { overview, end_session, reset_factors };
                        view! { <UserView detail impersonation activity update set_status delete /> }.into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })
            }}
        </Transition>
    }
}

/// The user's roles, sessions and last sign-in (read in the cards' own Transition), and the
/// action that ends a session.
struct Activity {
    overview: Resource<Result<UserOverview, AppError>>,
    end_session: ServerAction<EndUserSession>,
    reset_factors: ServerAction<ResetSecondFactors>,
}

/// What the user's page shows about impersonation.
struct Impersonation {
    availability: Result<ImpersonationAvailability, AppError>,
    history: Result<ImpersonationHistory, AppError>,
}

#[component]
fn UserView(
    detail: UserDetail,
    impersonation: Impersonation,
    activity: Activity,
    update: ServerAction<UpdateUser>,
    set_status: ServerAction<SetUserStatus>,
    delete: ServerAction<DeleteUser>,
) -> impl IntoView {
    let session = use_context::<ConsoleSession>();
    let can_update = session.as_ref().is_none_or(|s| s.users.update);
    let can_delete = session.as_ref().is_none_or(|s| s.users.delete);
    let user = detail.summary.clone();
    let id = StoredValue::new(user.id.clone());
    let email = RwSignal::new(user.email.clone());
    let given_name = RwSignal::new(user.given_name.clone());
    let family_name = RwSignal::new(user.family_name.clone());
    let country = RwSignal::new(detail.country.clone());
    let result = update.value();
    let confirming = RwSignal::new(false);
    let confirming_lock = RwSignal::new(false);
    let confirming_disable = RwSignal::new(false);
    let username = user.username.clone();
    let status = user.status;

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(UpdateUser {
            id: id.get_value(),
            email: email.get_untracked(),
            given_name: given_name.get_untracked(),
            family_name: family_name.get_untracked(),
            country: country.get_untracked(),
        });
    };
    let change_status = move |to: UserStatus| {
        set_status.dispatch(SetUserStatus {
            id: id.get_value(),
            status: to,
        });
    };
    let saved = move || matches!(result.get(), Some(Ok(_)));
    // What the last status change did, said once it is done.
    let status_changed = move || {
        set_status.value().get().and_then(Result::ok).map(|changed| {
            let what = match changed.summary.status {
                UserStatus::Active => "The account is active again: the user can sign in.",
                UserStatus::Locked => {
                    "The account is locked: the user was signed out everywhere and their tokens were revoked."
                }
                UserStatus::Disabled => {
                    "The account is disabled: the user was signed out everywhere and their tokens were revoked."
                }
            };
            view! { <p class="alert alert-success" role="status">{what}</p> }
        })
    };
    let other_error = move || {
        [
            result.get().and_then(|r| r.err()),
            set_status.value().get().and_then(|r| r.err()),
            delete.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .find(|e| !matches!(e, AppError::Invalid(_)))
        .map(|e| view! { <ErrorNote error=e /> })
    };

    view! {
        <Title text=format!("{} · Users · Console · Guise", user.username) />
        <div class="page-header">
            <h1>{user.username.clone()}</h1>
            <span class=format!("status status-{}", status.label().to_lowercase())>{status.label()}</span>
        </div>
        <dl class="facts">
            <dt>"User ID"</dt><dd>{user.id.clone()}</dd>
            <dt>"Created"</dt><dd>{detail.created_at.clone()}</dd>
            <dt>"Last modified"</dt><dd>{detail.updated_at.clone()}</dd>
        </dl>
        {other_error}
        <Show when=saved>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        {status_changed}
        <UserOverviewCards
            user_id=user.id.clone()
            overview=activity.overview
            end=activity.end_session
            reset_factors=activity.reset_factors
        />
        <section class="card">
            <h2>"Profile"</h2>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <TextField label="Email" name="email" kind="email" value=email error=field_error(result, "email") />
                <TextField label="First Name" name="given_name" value=given_name error=field_error(result, "given_name") />
                <TextField label="Last Name" name="family_name" value=family_name error=field_error(result, "family_name") />
                <TextField label="Country" name="country" value=country error=field_error(result, "country") />
                <Show when=move || can_update>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                    </div>
                </Show>
            </form>
        </section>
        <Show when=move || can_update>
            <section class="card">
                <h2>"Account status"</h2>
                <p class="hint">
                    "Lock and Disable both sign the user out everywhere and revoke every token of theirs at once. "
                    "Lock is for an account that may be compromised: it stays shut until someone activates it again. "
                    "Disable is for someone who should no longer have access: the account and its history are kept."
                </p>
                <div class="actions">
                    <Show when=move || status != UserStatus::Active>
                        <button type="button" on:click=move |_| change_status(UserStatus::Active)>"Activate"</button>
                    </Show>
                    <Show when=move || status != UserStatus::Locked>
                        <button type="button" on:click=move |_| confirming_lock.set(true)>"Lock"</button>
                    </Show>
                    <Show when=move || status != UserStatus::Disabled>
                        <button type="button" on:click=move |_| confirming_disable.set(true)>"Disable"</button>
                    </Show>
                </div>
            </section>
        </Show>
        <ConfirmDialog
            open=confirming_lock
            title=format!("Lock {username}?")
            message="They are signed out everywhere, every token of theirs stops working, and they cannot sign in until someone activates the account again.".to_string()
            confirm_label="Lock"
            on_confirm=move || change_status(UserStatus::Locked)
        />
        <ConfirmDialog
            open=confirming_disable
            title=format!("Disable {username}?")
            message="They are signed out everywhere, every token of theirs stops working, and the account stays off until someone activates it again. Nothing of it is deleted.".to_string()
            confirm_label="Disable"
            on_confirm=move || change_status(UserStatus::Disabled)
        />
        <ImpersonateUser user_id=user.id.clone() availability=impersonation.availability />
        <ImpersonationSessions history=impersonation.history />
        <Show when=move || can_delete>
            <section class="card danger-zone">
                <h2>"Danger Zone"</h2>
                <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Delete User"</button>
            </section>
        </Show>
        <Show when=move || confirming.get()>
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-delete-title">
                    <h2 id="confirm-delete-title">"Delete this user?"</h2>
                    <p>{format!("{username} will be removed with their sessions and role assignments. This cannot be undone.")}</p>
                    <div class="actions">
                        <button
                            type="button"
                            class="danger"
                            on:click=move |_| {
                                confirming.set(false);
                                delete.dispatch(DeleteUser { id: id.get_value() });
                            }
                        >
                            "Delete"
                        </button>
                        <button type="button" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
