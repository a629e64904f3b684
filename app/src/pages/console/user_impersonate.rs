use crate::api::console_impersonation::load_impersonation_availability;
use crate::model::ImpersonationAvailability;
use leptos::prelude::*;

/// A user's **Impersonate User**: a plain form that posts into a new tab, so the tab opens on the
/// click itself and the button works before hydration. The server says beforehand whether the
/// administrator may impersonate this user; when not, the button is disabled with the reason.
#[component]
pub fn ImpersonateUser(user_id: String) -> impl IntoView {
    let asked = user_id.clone();
    let availability = Resource::new(
        || (),
        move |_| load_impersonation_availability(asked.clone()),
    );
    let user_id = StoredValue::new(user_id);
    view! {
        <section class="card impersonate" aria-labelledby="impersonate-title">
            <h2 id="impersonate-title">"Impersonation"</h2>
            <p class="hint">
                "Opens My Account as this user in a new tab, with you recorded as the real actor. From there you can launch the applications you may use as them."
            </p>
            <Transition fallback=|| view! { <p class="loading">"Checking whether you may impersonate this user…"</p> }>
                {move || {
                    availability
                        .get()
                        .map(|result| {
                            let reason = match result {
                                Ok(ImpersonationAvailability::Available) => None,
                                Ok(ImpersonationAvailability::Unavailable { reason }) => Some(reason),
                                Err(e) => Some(e.to_string()),
                            };
                            view! { <ImpersonateForm user_id=user_id.get_value() reason /> }
                        })
                }}
            </Transition>
        </section>
    }
}

/// The form itself; `reason` disables the button and says why.
#[component]
fn ImpersonateForm(user_id: String, reason: Option<String>) -> impl IntoView {
    let disabled = reason.is_some();
    view! {
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
    }
}
