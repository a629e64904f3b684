//! My Account: every signed-in user's own portal.

pub mod activity;
pub mod applications;
pub mod home;
pub mod impersonation_banner;
pub mod layout;
pub mod password;
pub mod profile;
pub mod two_step;

/// Whether `path` is one of My Account's addresses (`/myaccount` and below): the pages its own
/// bundle hydrates.
pub fn is_my_account_path(path: &str) -> bool {
    path == "/myaccount" || path.starts_with("/myaccount/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn my_account_paths_are_myaccount_and_below() {
        assert!(super::is_my_account_path("/myaccount"));
        assert!(super::is_my_account_path("/myaccount/activity"));
        assert!(!super::is_my_account_path("/myaccountant"));
        assert!(!super::is_my_account_path("/console"));
    }
}
