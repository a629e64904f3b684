use crate::api::account_activity::load_account_activity;
use crate::components::ErrorNote;
use crate::model::{AccountActivity, AccountImpersonation};
use leptos::prelude::*;
use leptos_meta::Title;

/// **Account activity**: every impersonation of the user's account — who, when, how long it
/// lasted, which applications it entered, and what was changed in the user's name. An impersonator
/// gets the server's refusal instead (it is the user's own record).
#[component]
pub fn AccountActivityPage() -> impl IntoView {
    let activity = Resource::new(|| (), |_| load_account_activity());
    view! {
        <Title text="Account activity · My Account · Guise" />
        <h1>"Account activity"</h1>
        <p class="hint">"Who acted on your behalf by impersonating you, and what they changed. Times are UTC."</p>
        <Suspense fallback=|| view! { <p class="loading">"Loading your account activity…"</p> }>
            {move || {
                activity
                    .get()
                    .map(|result| match result {
                        Ok(activity) if activity.impersonations.is_empty() => {
                            view! { <p class="empty">"Nobody has impersonated you."</p> }.into_any()
                        }
                        Ok(activity) => view! { <Impersonations activity /> }.into_any(),
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Suspense>
        <p><a href="/myaccount">"Back to My Account"</a></p>
    }
}

#[component]
fn Impersonations(activity: AccountActivity) -> impl IntoView {
    let now = activity.now;
    activity
        .impersonations
        .into_iter()
        .map(|item| view! { <ImpersonationCard item now /> })
        .collect_view()
}

#[component]
fn ImpersonationCard(item: AccountImpersonation, now: i64) -> impl IntoView {
    let s = item.session;
    let title = format!("Impersonated by {}", s.impersonator);
    let started = s.started();
    let outcome = s.outcome(now);
    let duration = s.duration(now);
    let justification = s.justification();
    let applications = if s.applications.is_empty() {
        "None".to_owned()
    } else {
        s.applications.join(", ")
    };
    let changes = if item.changes.is_empty() {
        view! { <p class="empty">"Nothing was changed."</p> }.into_any()
    } else {
        view! {
            <ul class="changes">
                {item
                    .changes
                    .into_iter()
                    .map(|c| {
                        let detail = (!c.detail.is_empty()).then(|| format!(" ({})", c.detail));
                        view! { <li>{c.time}" · "{c.action}{detail}</li> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card account-impersonation">
            <h2>{title}</h2>
            <dl class="facts">
                <dt>"Started"</dt><dd>{started}</dd>
                <dt>"Ended"</dt><dd>{outcome}</dd>
                <dt>"Duration"</dt><dd>{duration}</dd>
                <dt>"Reason"</dt><dd>{justification}</dd>
                <dt>"Applications entered"</dt><dd>{applications}</dd>
            </dl>
            <h3>"Changes made on your behalf"</h3>
            {changes}
        </section>
    }
}
