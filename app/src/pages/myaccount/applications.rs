use crate::components::ErrorNote;
use crate::model::{AppError, MyApplications};
use leptos::prelude::*;

/// My Account's **Applications**: the discoverable applications the user may launch. While
/// impersonating, only those the impersonator may enter as the user; launching one signs into it
/// as the user.
#[component]
pub fn ApplicationsSection(apps: Resource<Result<MyApplications, AppError>>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="applications-title">
            <h2 id="applications-title">"Applications"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading applications…"</p> }>
                {move || {
                    apps.get()
                        .map(|result| match result {
                            Ok(apps) => view! { <ApplicationList apps /> }.into_any(),
                            // The profile above already offers the way to sign in.
                            Err(AppError::NotSignedIn) => ().into_any(),
                            Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn ApplicationList(apps: MyApplications) -> impl IntoView {
    if apps.applications.is_empty() {
        return if apps.impersonating {
            view! {
                <p class="empty">"No applications you may use as this user."</p>
                <p class="hint">
                    "An application is listed here when it is enabled for impersonation (authorized for the User Impersonation API, with a role that grants you User Impersonation for it) and marked as a discoverable application."
                </p>
            }
                .into_any()
        } else {
            view! { <p class="empty">"No applications yet."</p> }.into_any()
        };
    }
    view! {
        <ul class="app-list">
            {apps
                .applications
                .into_iter()
                .map(|app| {
                    let launch = app.launch_href().map(|href| {
                        view! {
                            <a class="button primary" href=href.to_owned() target="_blank" rel="noopener">
                                "Launch"
                                <span class="visually-hidden">{format!(" {}", app.name)}</span>
                            </a>
                        }
                    });
                    view! {
                        <li>
                            <div class="app-text">
                                <strong>{app.name.clone()}</strong>
                                {(!app.description.is_empty())
                                    .then(|| view! { <p class="hint">{app.description.clone()}</p> })}
                            </div>
                            {launch}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
