use leptos::prelude::*;

/// **Stop impersonating**: ends the browser session's impersonation. A plain form, so it works
/// before (and without) hydration; the server answers with a redirect to the user's Console page.
#[component]
pub fn StopImpersonating() -> impl IntoView {
    view! {
        <form method="post" action="/auth/impersonation/stop" class="stop-impersonating">
            <button type="submit" class="danger">"Stop impersonating"</button>
        </form>
    }
}
