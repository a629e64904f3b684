//! Configuration from environment variables (see the README's table).

use crate::client_addr::TrustedProxies;
use crate::metrics_endpoint::MetricsAccess;
use engine::secrets::Secret;

/// The sender when `GUISE_SMTP_FROM` is not set.
pub const DEFAULT_SMTP_FROM: &str = "Guise <no-reply@localhost>";

pub struct Config {
    /// Where browsers reach Guise, e.g. `https://id.example.com`; decides cookie `Secure` and the
    /// allowed `Origin`.
    pub public_url: String,
    pub database_url: String,
    pub admin_username: String,
    pub admin_password: Option<Secret>,
    pub session_hours: i64,
    /// The hard limit of one impersonation session.
    pub impersonation_minutes: i64,
    /// The audit log file (`GUISE_AUDIT_LOG`; `off` for none). Each node writes its own.
    pub audit_log: Option<std::path::PathBuf>,
    /// Where the outbox is delivered (`smtp://host:port`, `smtps://…`, `smtp://…?tls=required`);
    /// without it, messages stay in the outbox for the Console to show.
    pub smtp_url: Option<Secret>,
    /// The sender of every email (`Guise <no-reply@id.example.com>`).
    pub smtp_from: String,
    /// Peers whose `Forwarded` / `X-Forwarded-For` name the client (`GUISE_TRUSTED_PROXIES`): the
    /// load balancer. None by default.
    pub trusted_proxies: TrustedProxies,
    /// Where `/metrics` is served (`GUISE_METRICS_TOKEN` or `GUISE_METRICS_ADDR`); off by default.
    pub metrics: MetricsAccess,
}

impl Config {
    pub fn from_env(site_addr: &str) -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let public_url = var("GUISE_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(format!(
                "GUISE_PUBLIC_URL must start with http:// or https:// (got {public_url})"
            ));
        }
        let session_hours = match var("GUISE_SESSION_HOURS") {
            Some(v) => v.parse::<i64>().ok().filter(|h| (1..=24 * 30).contains(h)).ok_or_else(|| {
                format!("GUISE_SESSION_HOURS must be a whole number of hours from 1 to 720 (got {v})")
            })?,
            None => 12,
        };
        let impersonation_minutes = match var("GUISE_IMPERSONATION_MINUTES") {
            Some(v) => v.parse::<i64>().ok().filter(|m| (1..=24 * 60).contains(m)).ok_or_else(|| {
                format!("GUISE_IMPERSONATION_MINUTES must be a whole number of minutes from 1 to 1440 (got {v})")
            })?,
            None => 60,
        };
        Ok(Self {
            public_url,
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://guise-data/guise.db?mode=rwc".into()),
            admin_username: var("GUISE_ADMIN_USERNAME").unwrap_or_else(|| "admin".into()),
            admin_password: var("GUISE_ADMIN_PASSWORD").map(Secret::new),
            session_hours,
            impersonation_minutes,
            audit_log: match var("GUISE_AUDIT_LOG") {
                Some(v) if v.eq_ignore_ascii_case("off") => None,
                Some(v) => Some(v.into()),
                None => Some("guise-data/audit.log".into()),
            },
            // The URL may carry the SMTP password: kept as a secret (never logged).
            smtp_url: var("GUISE_SMTP_URL").map(Secret::new),
            smtp_from: var("GUISE_SMTP_FROM").unwrap_or_else(|| DEFAULT_SMTP_FROM.into()),
            trusted_proxies: TrustedProxies::parse(
                &var("GUISE_TRUSTED_PROXIES").unwrap_or_default(),
            )?,
            metrics: MetricsAccess::from_settings(
                var("GUISE_METRICS_TOKEN"),
                var("GUISE_METRICS_ADDR"),
            )?,
        })
    }

    pub fn engine_settings(&self) -> engine::Settings {
        engine::Settings {
            session_lifetime_secs: self.session_hours * 3600,
            public_url: self.public_url.clone(),
            impersonation_limit_secs: self.impersonation_minutes * 60,
            ..engine::Settings::default()
        }
    }

    /// `scheme://host[:port]` of the public URL: the only `Origin` allowed to send writes.
    pub fn public_origin(&self) -> String {
        let after_scheme = self.public_url.find("://").map_or(0, |i| i + 3);
        match self.public_url[after_scheme..].find('/') {
            Some(slash) => self.public_url[..after_scheme + slash].to_owned(),
            None => self.public_url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(public_url: &str) -> Config {
        Config {
            public_url: public_url.into(),
            database_url: String::new(),
            admin_username: "admin".into(),
            admin_password: None,
            session_hours: 12,
            impersonation_minutes: 60,
            audit_log: None,
            smtp_url: None,
            smtp_from: DEFAULT_SMTP_FROM.into(),
            trusted_proxies: TrustedProxies::default(),
            metrics: MetricsAccess::Off,
        }
    }

    #[test]
    fn origin_drops_the_path() {
        assert_eq!(
            config("https://id.example.com/guise").public_origin(),
            "https://id.example.com"
        );
        assert_eq!(
            config("http://127.0.0.1:3000").public_origin(),
            "http://127.0.0.1:3000"
        );
    }
}
