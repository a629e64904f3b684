use crate::components::ErrorNote;
use crate::model::{AppError, ImpersonationHistory};
use leptos::prelude::*;

/// A user's **Impersonation sessions**: every impersonation in which they were the impersonator or
/// the impersonated user: who, when, how it ended and which applications it entered.
#[component]
pub fn ImpersonationSessions(history: Result<ImpersonationHistory, AppError>) -> impl IntoView {
    let body = match history {
        Ok(history) if history.sessions.is_empty() => {
            view! { <p class="empty">"None yet"</p> }.into_any()
        }
        Ok(history) => view! { <SessionsTable history /> }.into_any(),
        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="impersonation-sessions-title">
            <h2 id="impersonation-sessions-title">"Impersonation sessions"</h2>
            {body}
        </section>
    }
}

#[component]
fn SessionsTable(history: ImpersonationHistory) -> impl IntoView {
    let now = history.now;
    view! {
        <table class="list impersonation-sessions">
            <thead>
                <tr>
                    <th scope="col">"Impersonator"</th>
                    <th scope="col">"Impersonated user"</th>
                    <th scope="col">"Started"</th>
                    <th scope="col">"Ended"</th>
                    <th scope="col">"Reason"</th>
                    <th scope="col">"Applications entered"</th>
                </tr>
            </thead>
            <tbody>
                {history
                    .sessions
                    .into_iter()
                    .map(|s| {
                        let started = s.started();
                        let outcome = s.outcome(now);
                        let justification = s.justification();
                        let applications = if s.applications.is_empty() {
                            "None".to_owned()
                        } else {
                            s.applications.join(", ")
                        };
                        view! {
                            <tr>
                                <td>{s.impersonator}</td>
                                <td>{s.subject}</td>
                                <td>{started}</td>
                                <td>{outcome}</td>
                                <td>{justification}</td>
                                <td>{applications}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
