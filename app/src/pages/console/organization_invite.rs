use crate::api::console_organizations::InviteParentUser as Invite;
use crate::components::{field_error, form_error, ErrorNote, TextField};
use leptos::prelude::*;

/// **Invite Parent User**: a user of the administrator's organization becomes a member of this
/// one, signing in with their own credentials.
#[component]
pub fn InviteParentUser(organization: String) -> impl IntoView {
    let organization = StoredValue::new(organization);
    let username = RwSignal::new(String::new());
    let invite = ServerAction::<Invite>::new();
    let result = invite.value();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        invite.dispatch(Invite {
            id: organization.get_value(),
            username: username.get_untracked(),
        });
    };
    let invited = move || {
        result.get().and_then(Result::ok).map(|who| {
            view! { <p class="alert alert-success" role="status">{format!("{who} was invited.")}</p> }
        })
    };
    view! {
        <section class="card" aria-labelledby="invite-parent-user-title">
            <h2 id="invite-parent-user-title">"Invite Parent User"</h2>
            <p class="hint">"A user of your organization joins this one and signs in with their own credentials."</p>
            {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
            {invited}
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <TextField label="Username" name="username" value=username error=field_error(result, "username") required=true />
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || invite.pending().get()>"Invite Parent User"</button>
                </div>
            </form>
        </section>
    }
}
