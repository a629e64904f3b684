use crate::components::StopImpersonating;
use crate::model::ImpersonationBanner;
use leptos::prelude::*;
use std::time::Duration;

/// How often the time left is recounted in the browser.
const TICK: Duration = Duration::from_secs(15);

/// The banner on every My Account page while impersonating: whom, as whom, until when, and
/// **Stop impersonating** (a plain form, so it works before hydration). The time left is rendered
/// from the server's clock and, once hydrated, counted down by the browser's clock relative to
/// when the page loaded, so the two clocks never need to agree.
#[component]
pub fn ImpersonationNotice(banner: ImpersonationBanner) -> impl IntoView {
    let elapsed = RwSignal::new(0_i64);
    Effect::new(move |_| {
        use leptos::web_sys::js_sys::Date;
        let loaded = Date::now();
        let tick = move || elapsed.set(((Date::now() - loaded) / 1000.0) as i64);
        if let Ok(handle) = set_interval_with_handle(tick, TICK) {
            on_cleanup(move || handle.clear());
        }
    });
    let headline = banner.headline();
    let actor = banner.actor();
    let ends = banner.ends();
    let left = Memo::new(move |_| banner.left_after(elapsed.get()));
    view! {
        <div class="impersonation-banner" role="status">
            <p class="impersonation-who">
                <strong>{headline}</strong>
                " "
                <span class="impersonation-actor">{actor}</span>
            </p>
            // The countdown is not announced at every tick.
            <p class="impersonation-time" aria-live="off">
                {ends}
                " · "
                {move || left.get()}
            </p>
            <StopImpersonating />
        </div>
    }
}
