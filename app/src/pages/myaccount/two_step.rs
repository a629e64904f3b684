//! My Account's **Two-step verification** card: add an authenticator app (scan the QR code, type
//! its first code), see the recovery codes once, renew them, or remove the app with the password.

use crate::api::two_step::{
    my_second_factors, BeginAuthenticatorApp, ConfirmAuthenticatorApp, RemoveAuthenticatorApp,
    RenewRecoveryCodes,
};
use crate::components::{field_error, ErrorNote, TextField};
use crate::model::{AppError, SecondFactorsSummary};
use leptos::prelude::*;

/// What the card reads and does. Made by the page before its Transition, so that it hydrates.
#[derive(Clone, Copy)]
pub struct TwoStep {
    factors: Resource<Result<SecondFactorsSummary, AppError>>,
    begin: ServerAction<BeginAuthenticatorApp>,
    confirm: ServerAction<ConfirmAuthenticatorApp>,
    renew: ServerAction<RenewRecoveryCodes>,
    remove: ServerAction<RemoveAuthenticatorApp>,
    /// The recovery codes just made (confirming the app, or renewing them), until the app is
    /// removed: shown this once.
    codes: RwSignal<Option<Vec<String>>>,
}

impl TwoStep {
    pub fn new() -> Self {
        let begin = ServerAction::<BeginAuthenticatorApp>::new();
        let confirm = ServerAction::<ConfirmAuthenticatorApp>::new();
        let renew = ServerAction::<RenewRecoveryCodes>::new();
        let remove = ServerAction::<RemoveAuthenticatorApp>::new();
        let factors = Resource::new(
            move || (confirm.version().get(), remove.version().get()),
            |_| my_second_factors(),
        );
        let codes = RwSignal::new(None);
        Effect::new(move |_| {
            if let Some(Ok(made)) = confirm.value().get() {
                codes.set(Some(made));
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(made)) = renew.value().get() {
                codes.set(Some(made));
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(())) = remove.value().get() {
                codes.set(None);
            }
        });
        Self {
            factors,
            begin,
            confirm,
            renew,
            remove,
            codes,
        }
    }
}

impl Default for TwoStep {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn TwoStepVerification(two_step: TwoStep) -> impl IntoView {
    let factors = two_step.factors;
    view! {
        <section class="card" aria-labelledby="two-step-title">
            <h2 id="two-step-title">"Two-step verification"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || {
                    factors
                        .get()
                        .map(|result| match result {
                            Ok(summary) => view! { <TwoStepState summary two_step /> }.into_any(),
                            Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn TwoStepState(summary: SecondFactorsSummary, two_step: TwoStep) -> impl IntoView {
    let status = match &summary.authenticator_app_since {
        Some(since) => format!(
            "On: an authenticator app since {since}. {} recovery codes left.",
            summary.recovery_codes_left
        ),
        None => "Off: signing in takes only the password.".to_owned(),
    };
    if let Some(why) = summary.locked {
        return view! {
            <p>{status}</p>
            <p class="hint locked">{why}</p>
        }
        .into_any();
    }
    let on = summary.authenticator_app_since.is_some();
    view! {
        <p role="status">{status}</p>
        {if on {
            view! { <RecoveryCodesShown two_step /><Manage two_step /> }.into_any()
        } else {
            view! { <AddApp two_step /> }.into_any()
        }}
    }
    .into_any()
}

/// The codes just made (on confirming the app, or renewing them): shown this once.
#[component]
fn RecoveryCodesShown(two_step: TwoStep) -> impl IntoView {
    move || {
        two_step.codes.get().map(|codes| {
            view! {
                <div class="alert alert-success recovery-codes" role="status">
                    <p>
                        "Your recovery codes. Keep them somewhere safe: each signs you in once if you lose your phone. They are not shown again."
                    </p>
                    <ol class="codes">
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ol>
                </div>
            }
        })
    }
}

#[component]
fn AddApp(two_step: TwoStep) -> impl IntoView {
    let TwoStep { begin, confirm, .. } = two_step;
    let code = RwSignal::new(String::new());
    let setup = move || begin.value().get().and_then(Result::ok);
    let begin_error = move || {
        begin
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote error=e /> })
    };
    let confirm_error = move || match confirm.value().get() {
        Some(Err(e)) if !matches!(e, AppError::Invalid(_)) => Some(view! { <ErrorNote error=e /> }),
        _ => None,
    };
    let on_confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        confirm.dispatch(ConfirmAuthenticatorApp {
            code: code.get_untracked(),
        });
    };
    view! {
        {begin_error}
        <Show
            when=move || setup().is_some()
            fallback=move || view! {
                <div class="actions">
                    <button
                        type="button"
                        class="primary"
                        disabled=move || begin.pending().get()
                        on:click=move |_| { begin.dispatch(BeginAuthenticatorApp {}); }
                    >
                        "Add authenticator app"
                    </button>
                </div>
            }
        >
            {move || setup().map(|s| view! {
                <p>"Scan this QR code with your authenticator app, then type the code it shows."</p>
                <div class="qr" inner_html=s.qr_svg></div>
                <p class="hint">"Cannot scan? Type this key into the app: " <code class="secret-key">{s.secret}</code></p>
            })}
            {confirm_error}
            <form class="stack narrow" method="post" on:submit=on_confirm novalidate>
                <TextField
                    label="Code from the app"
                    name="code"
                    autocomplete="one-time-code"
                    value=code
                    error=field_error(confirm.value(), "code")
                />
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || confirm.pending().get()>"Confirm"</button>
                </div>
            </form>
        </Show>
    }
}

#[component]
fn Manage(two_step: TwoStep) -> impl IntoView {
    let TwoStep { renew, remove, .. } = two_step;
    let password = RwSignal::new(String::new());
    let renew_error = move || {
        renew
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote error=e /> })
    };
    let remove_error = move || match remove.value().get() {
        Some(Err(e)) if !matches!(e, AppError::Invalid(_)) => Some(view! { <ErrorNote error=e /> }),
        _ => None,
    };
    let on_remove = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        remove.dispatch(RemoveAuthenticatorApp {
            password: password.get_untracked(),
        });
    };
    view! {
        {renew_error}
        <div class="actions">
            <button type="button" disabled=move || renew.pending().get() on:click=move |_| { renew.dispatch(RenewRecoveryCodes {}); }>
                "New recovery codes"
            </button>
        </div>
        <h3>"Remove authenticator app"</h3>
        {remove_error}
        <form class="stack narrow" method="post" on:submit=on_remove novalidate>
            <TextField
                label="Password"
                name="remove_password"
                kind="password"
                autocomplete="current-password"
                value=password
                error=field_error(remove.value(), "password")
            />
            <div class="actions">
                <button type="submit" class="danger" disabled=move || remove.pending().get()>"Remove authenticator app"</button>
            </div>
        </form>
    }
}
