use leptos::prelude::*;

/// Ends the SSO session. A plain form, so it works before (and without) hydration.
#[component]
pub fn SignOut() -> impl IntoView {
    view! {
        <form method="post" action="/auth/logout" class="sign-out">
            <button type="submit" class="button-link">"Sign out"</button>
        </form>
    }
}
