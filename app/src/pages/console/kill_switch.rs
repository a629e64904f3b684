//! The impersonation kill switch, on **Login & Registration > Organization settings >
//! Impersonation**: how many impersonation sessions run, **End all impersonation sessions**, and
//! **Pause impersonation** / **Resume impersonation**. In the root organization it acts in every
//! organization, and says so.

use crate::api::console_impersonation_settings::{
    get_kill_switch, EndAllImpersonations, SetImpersonationPaused,
};
use crate::components::{ConfirmDialog, ErrorNote};
use crate::model::{AppError, ConsoleSession, KillSwitchView};
use leptos::prelude::*;

/// What the card reads and does. Made by the page before its Transition, so that it hydrates.
#[derive(Clone, Copy)]
pub struct KillSwitchControls {
    switch: Resource<Result<KillSwitchView, AppError>>,
    end_all: ServerAction<EndAllImpersonations>,
    pause: ServerAction<SetImpersonationPaused>,
}

impl KillSwitchControls {
    pub fn new() -> Self {
        let end_all = ServerAction::<EndAllImpersonations>::new();
        let pause = ServerAction::<SetImpersonationPaused>::new();
        let switch = Resource::new(
            move || (end_all.version().get(), pause.version().get()),
            |_| get_kill_switch(),
        );
        Self {
            switch,
            end_all,
            pause,
        }
    }
}

impl Default for KillSwitchControls {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn KillSwitchCard(controls: KillSwitchControls) -> impl IntoView {
    let allowed = use_context::<ConsoleSession>().is_none_or(|s| s.impersonation_kill_switch);
    if !allowed {
        return ().into_any();
    }
    let KillSwitchControls {
        switch,
        end_all,
        pause,
    } = controls;
    let confirming_end = RwSignal::new(false);
    let confirming_pause = RwSignal::new(false);
    let failed = move || {
        let end_error = end_all.value().get().and_then(Result::err);
        let pause_error = pause.value().get().and_then(Result::err);
        end_error
            .or(pause_error)
            .map(|e| view! { <ErrorNote error=e /> })
    };
    let ended = move || {
        end_all.value().get().and_then(Result::ok).map(|n| {
            let noun = if n == 1 { "session" } else { "sessions" };
            view! { <p class="alert alert-success" role="status">{format!("Ended {n} impersonation {noun}.")}</p> }
        })
    };
    view! {
        <section class="card danger-zone" aria-labelledby="kill-switch-title">
            <h2 id="kill-switch-title">"Kill switch"</h2>
            {failed}
            {ended}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || switch.get().map(|result| match result {
                    Ok(state) => view! {
                        <SwitchState state confirming_end confirming_pause pause />
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })}
            </Transition>
        </section>
        <ConfirmDialog
            open=confirming_end
            title="End all impersonation sessions?".to_string()
            message="Every impersonation session running now ends at once, and every token obtained through them stops working. Each impersonated user is told.".to_string()
            confirm_label="End all"
            on_confirm=move || { end_all.dispatch(EndAllImpersonations {}); }
        />
        <ConfirmDialog
            open=confirming_pause
            title="Pause impersonation?".to_string()
            message="Every impersonation session running now ends, and nobody can start one until impersonation is resumed.".to_string()
            confirm_label="Pause"
            on_confirm=move || { pause.dispatch(SetImpersonationPaused { paused: true }); }
        />
    }
    .into_any()
}

#[component]
fn SwitchState(
    state: KillSwitchView,
    confirming_end: RwSignal<bool>,
    confirming_pause: RwSignal<bool>,
    pause: ServerAction<SetImpersonationPaused>,
) -> impl IntoView {
    let where_ = if state.everywhere {
        " in every organization"
    } else {
        ""
    };
    let running = match state.live {
        1 => format!("1 impersonation session is running{where_}."),
        n => format!("{n} impersonation sessions are running{where_}."),
    };
    let status = match (&state.paused_at, state.paused_from_root) {
        (Some(at), _) => format!(
            "Impersonation is paused{where_} since {at}, by {}.",
            state.paused_by.clone().unwrap_or_default()
        ),
        (None, true) => {
            "Impersonation is paused in every organization by the root organization.".to_owned()
        }
        (None, false) => format!("Impersonation is allowed{where_}."),
    };
    let own_pause = state.paused_at.is_some();
    view! {
        <p role="status">{status}</p>
        <p>{running}</p>
        <div class="actions">
            <button type="button" class="danger" on:click=move |_| confirming_end.set(true)>
                "End all impersonation sessions"
            </button>
            {if own_pause {
                view! {
                    <button
                        type="button"
                        disabled=move || pause.pending().get()
                        on:click=move |_| { pause.dispatch(SetImpersonationPaused { paused: false }); }
                    >
                        "Resume impersonation"
                    </button>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="danger" on:click=move |_| confirming_pause.set(true)>
                        "Pause impersonation"
                    </button>
                }
                .into_any()
            }}
        </div>
    }
}
