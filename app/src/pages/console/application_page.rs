use crate::api::console_applications::get_application;
use crate::components::ErrorNote;
use crate::model::ApplicationDetail;
use crate::pages::console::application_advanced::AdvancedTab;
use crate::pages::console::application_api_authorization::ApiAuthorizationTab;
use crate::pages::console::application_general::GeneralTab;
use crate::pages::console::application_protocol::ProtocolTab;
use crate::pages::console::application_roles::ApplicationRolesTab;
use crate::pages::console::application_shared_access::SharedAccessTab;
use crate::pages::console::application_tab_data::TabData;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

/// The note shown, and the fields locked, where the server refuses changes to a system application.
pub const SYSTEM_NOTE: &str = "System applications can only change their token lifetimes.";

/// An application's settings tabs, in the order they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    General,
    Protocol,
    ApiAuthorization,
    Roles,
    SharedAccess,
    Advanced,
}

impl Tab {
    const ALL: [Tab; 6] = [
        Tab::General,
        Tab::Protocol,
        Tab::ApiAuthorization,
        Tab::Roles,
        Tab::SharedAccess,
        Tab::Advanced,
    ];

    /// The value of `?tab=` that opens it.
    fn slug(self) -> &'static str {
        match self {
            Tab::General => "general",
            Tab::Protocol => "protocol",
            Tab::ApiAuthorization => "api-authorization",
            Tab::Roles => "roles",
            Tab::SharedAccess => "shared-access",
            Tab::Advanced => "advanced",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::General => "General",
            Tab::Protocol => "Protocol",
            Tab::ApiAuthorization => "API Authorization",
            Tab::Roles => "Roles",
            Tab::SharedAccess => "Shared Access",
            Tab::Advanced => "Advanced",
        }
    }

    /// The tab `?tab=` names; General when it names none.
    fn from_slug(slug: Option<&str>) -> Tab {
        Tab::ALL
            .into_iter()
            .find(|t| Some(t.slug()) == slug)
            .unwrap_or(Tab::General)
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// An application's page: its name and its settings in tabs. The open tab is kept in `?tab=`, so
/// a link can open any of them.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let app = Resource::new(id, get_application);
    let query = use_query_map();
    let tab = Memo::new(move |_| query.with(|q| Tab::from_slug(q.get("tab").as_deref())));
    let data = TabData::new(id, move |slug| tab.get().slug() == slug);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading application…"</p> }>
            {move || {
                app.get()
                    .map(|result| match result {
                        Ok(detail) => view! { <ApplicationView detail tab data /> }.into_any(),
                        Err(e) => {
                            view! {
                                <p class="breadcrumb"><A href="/console/applications">"Applications"</A></p>
                                <ErrorNote error=e />
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// The loaded application. `current` follows every saved change, so the heading and a tab opened
/// later show what is stored.
#[component]
fn ApplicationView(detail: ApplicationDetail, tab: Memo<Tab>, data: TabData) -> impl IntoView {
    let id = detail.summary.id.clone();
    let system = detail.summary.system;
    let current = RwSignal::new(detail);
    let name = move || current.with(|d| d.summary.name.clone());
    let query = use_query_map();
    let created = move || query.with(|q| q.get("created").is_some());
    let on_saved = Callback::new(move |saved: ApplicationDetail| current.set(saved));

    let buttons = Tab::ALL.map(|_| NodeRef::<leptos::html::Button>::new());
    let navigate = use_navigate();
    let select = move |t: Tab| {
        navigate(
            &format!("/console/applications/{id}?tab={}", t.slug()),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    // Arrow keys, Home and End move between the tabs and open the one they reach.
    let on_keydown = {
        let select = select.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let at = tab.get_untracked().index();
            let last = Tab::ALL.len() - 1;
            let to = match ev.key().as_str() {
                "ArrowRight" => (at + 1) % Tab::ALL.len(),
                "ArrowLeft" => (at + last) % Tab::ALL.len(),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            ev.prevent_default();
            select(Tab::ALL[to]);
            if let Some(button) = buttons[to].get() {
                let _ = button.focus();
            }
        }
    };

    view! {
        <Title text=move || format!("{} · Applications · Console · Guise", name()) />
        <p class="breadcrumb"><A href="/console/applications">"Applications"</A>" / "{name}</p>
        <div class="page-header">
            <h1>{name}</h1>
            {system.then(|| view! { <span class="tag">"System"</span> })}
        </div>
        <Show when=created>
            <p class="alert alert-success" role="status">"The application was created."</p>
        </Show>
        <div class="tabs" role="tablist" aria-label="Application settings" on:keydown=on_keydown>
            {Tab::ALL
                .into_iter()
                .zip(buttons)
                .map(|(t, node)| {
                    let select = select.clone();
                    let selected = move || tab.get() == t;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{}", t.slug())
                            node_ref=node
                            aria-selected=move || if selected() { "true" } else { "false" }
                            aria-controls="application-tabpanel"
                            tabindex=move || if selected() { "0" } else { "-1" }
                            on:click=move |_| select(t)
                        >
                            {t.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <div
            role="tabpanel"
            id="application-tabpanel"
            aria-labelledby=move || format!("tab-{}", tab.get().slug())
        >
            {move || {
                let app = current.get_untracked();
                match tab.get() {
                    Tab::General => view! { <GeneralTab app on_saved /> }.into_any(),
                    Tab::Protocol => view! { <ProtocolTab app on_saved /> }.into_any(),
                    Tab::ApiAuthorization => view! { <ApiAuthorizationTab app data /> }.into_any(),
                    Tab::Roles => view! { <ApplicationRolesTab app data /> }.into_any(),
                    Tab::SharedAccess => view! { <SharedAccessTab app data /> }.into_any(),
                    Tab::Advanced => view! { <AdvancedTab app on_saved /> }.into_any(),
                }
            }}
        </div>
    }
}

/// A labelled field that cannot be changed here (a system application's setting).
#[component]
pub fn LockedField(label: &'static str, name: &'static str, value: String) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name type="text" value=value disabled=true />
        </div>
    }
}
