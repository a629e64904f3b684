use super::applications::ApplicationsSection;
use super::profile::ProfilePage;
use leptos::prelude::*;

/// My Account's landing page: the profile and password, and the applications to launch.
#[component]
pub fn MyAccountHome() -> impl IntoView {
    view! {
        <ProfilePage />
        <ApplicationsSection />
    }
}
