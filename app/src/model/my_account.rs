//! What My Account shows around the profile: the impersonation banner and the applications to
//! launch.

use super::impersonation::ImpersonationBanner;
use serde::{Deserialize, Serialize};

/// The signed-in session as My Account frames it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySession {
    /// Set while an administrator impersonates the user in this session.
    pub impersonation: Option<ImpersonationBanner>,
}

/// An application My Account offers to launch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchableApplication {
    pub name: String,
    pub description: String,
    pub access_url: String,
}

impl LaunchableApplication {
    /// The link to launch it; `None` unless the access URL is an http(s) URL (the server only
    /// stores those, but a link is no place to trust that).
    pub fn launch_href(&self) -> Option<&str> {
        let url = self.access_url.trim();
        let lower = url.to_ascii_lowercase();
        (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
    }
}

/// My Account's Applications.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplications {
    /// Whether the list is what an impersonator may enter as the user.
    pub impersonating: bool,
    pub applications: Vec<LaunchableApplication>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(url: &str) -> LaunchableApplication {
        LaunchableApplication {
            name: "Desk".into(),
            description: String::new(),
            access_url: url.into(),
        }
    }

    #[test]
    fn only_web_urls_become_launch_links() {
        assert_eq!(
            app("https://desk.example/").launch_href(),
            Some("https://desk.example/")
        );
        assert_eq!(
            app(" HTTP://desk.example ").launch_href(),
            Some("HTTP://desk.example")
        );
        assert_eq!(app("javascript:alert(1)").launch_href(), None);
        assert_eq!(app("//desk.example").launch_href(), None);
        assert_eq!(app("").launch_href(), None);
    }
}
