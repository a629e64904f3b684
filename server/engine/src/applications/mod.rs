//! Applications: the OAuth clients of an organization. The Console and My Account are system
//! applications whose redirect URIs follow the configured public URL.

use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::{AppId, OrgId};
use crate::permissions::{CONSOLE_APP, MY_ACCOUNT_APP};
use crate::secrets::{digest, Secret};
use crate::validation::{self, Checks};
use crate::Engine;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

mod manage;
mod portal_switch;
pub use manage::{GeneralSettings, ProtocolSettings};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientType {
    /// Cannot keep a secret (browser or native app): PKCE always, no client authentication.
    Public,
    Confidential,
}

impl ClientType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Confidential => "confidential",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
    TokenExchange,
    OrganizationSwitch,
}

impl GrantType {
    pub const ALL: [GrantType; 5] = [
        Self::AuthorizationCode,
        Self::RefreshToken,
        Self::ClientCredentials,
        Self::TokenExchange,
        Self::OrganizationSwitch,
    ];

    /// The `grant_type` value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
            Self::ClientCredentials => "client_credentials",
            Self::TokenExchange => "urn:ietf:params:oauth:grant-type:token-exchange",
            Self::OrganizationSwitch => "organization_switch",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

#[derive(Clone, Debug)]
pub struct Application {
    pub id: AppId,
    pub org_id: OrgId,
    /// The owning organization's name (the `org_name` claim).
    pub org_name: String,
    pub name: String,
    pub description: String,
    pub client_id: String,
    pub client_type: ClientType,
    secret_hash: Option<String>,
    pub system_kind: Option<String>,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub grant_types: Vec<GrantType>,
    pub pkce_required: bool,
    pub access_token_lifetime: i64,
    pub refresh_token_lifetime: i64,
    pub id_token_lifetime: i64,
    pub access_url: String,
    pub discoverable: bool,
    pub skip_login_consent: bool,
    pub skip_logout_consent: bool,
    pub subject_token_enabled: bool,
    pub subject_token_lifetime: i64,
    /// See [`manage::ProtocolSettings::refresh_grace_secs`].
    pub refresh_grace_secs: i64,
    /// Whether users may sign into it (only My Account can be switched off).
    pub enabled: bool,
}

impl Application {
    pub fn allows(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    /// The Console or My Account: a client of our own provider whose codes are redeemed inside the
    /// server and whose tokens never leave it.
    pub fn is_portal(&self) -> bool {
        self.system_kind.is_some()
    }

    /// PKCE is required when configured, and always for public clients.
    pub fn requires_pkce(&self) -> bool {
        self.pkce_required || self.client_type == ClientType::Public
    }

    /// Exact, byte-for-byte comparison (RFC 9700 §4.1.3): no normalisation of case, slashes,
    /// encodings or query strings.
    pub fn has_redirect_uri(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|r| r == uri)
    }

    pub fn has_post_logout_redirect_uri(&self, uri: &str) -> bool {
        self.post_logout_redirect_uris.iter().any(|r| r == uri)
    }
}

/// Path (below the public URL) a system application's sign-in returns to.
pub fn system_callback_path(system_kind: &str) -> Option<&'static str> {
    match system_kind {
        CONSOLE_APP => Some("/console/callback"),
        MY_ACCOUNT_APP => Some("/myaccount/callback"),
        _ => None,
    }
}

/// The application's columns, and its organization's name (tokens carry it), from
/// `applications a JOIN organizations o`.
pub(crate) const COLUMNS: &str = "a.id, a.org_id, o.name AS org_name, a.name, a.description, a.client_id, a.client_type, \
    a.secret_hash, a.system_kind, a.redirect_uris, a.post_logout_redirect_uris, a.grant_types, a.pkce_required, \
    a.access_token_lifetime, a.refresh_token_lifetime, a.id_token_lifetime, a.access_url, a.discoverable, \
    a.skip_login_consent, a.skip_logout_consent, a.subject_token_enabled, a.subject_token_lifetime, a.enabled, \
    a.refresh_grace_secs";
pub(crate) const FROM: &str = "FROM applications a JOIN organizations o ON o.id = a.org_id";

fn json_list(raw: &str) -> Vec<String> {
    serde_json::from_str(raw).unwrap_or_default()
}

impl Engine {
    pub(crate) fn application_from_row(&self, row: &AnyRow) -> Result<Application> {
        let system_kind: Option<String> = row.try_get("system_kind")?;
        let mut redirect_uris = json_list(&row.try_get::<String, _>("redirect_uris")?);
        let mut post_logout = json_list(&row.try_get::<String, _>("post_logout_redirect_uris")?);
        let base = self.settings.public_url.trim_end_matches('/');
        if let Some(kind) = system_kind.as_deref() {
            if let Some(path) = system_callback_path(kind) {
                redirect_uris.push(format!("{base}{path}"));
            }
            post_logout.push(format!("{base}/login"));
        }
        let client_type = match row.try_get::<String, _>("client_type")?.as_str() {
            "public" => ClientType::Public,
            _ => ClientType::Confidential,
        };
        let grant_types = json_list(&row.try_get::<String, _>("grant_types")?)
            .iter()
            .filter_map(|g| GrantType::parse(g))
            .collect();
        let flag = |name: &str| -> Result<bool> { Ok(row.try_get::<i64, _>(name)? != 0) };
        Ok(Application {
            id: AppId::from_db(row.try_get("id")?),
            org_id: OrgId::from_db(row.try_get("org_id")?),
            org_name: row.try_get("org_name")?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            client_id: row.try_get("client_id")?,
            client_type,
            secret_hash: row.try_get("secret_hash")?,
            system_kind,
            redirect_uris,
            post_logout_redirect_uris: post_logout,
            grant_types,
            pkce_required: flag("pkce_required")?,
            access_token_lifetime: row.try_get("access_token_lifetime")?,
            refresh_token_lifetime: row.try_get("refresh_token_lifetime")?,
            id_token_lifetime: row.try_get("id_token_lifetime")?,
            access_url: row.try_get("access_url")?,
            discoverable: flag("discoverable")?,
            skip_login_consent: flag("skip_login_consent")?,
            skip_logout_consent: flag("skip_logout_consent")?,
            subject_token_enabled: flag("subject_token_enabled")?,
            subject_token_lifetime: row.try_get("subject_token_lifetime")?,
            refresh_grace_secs: row.try_get("refresh_grace_secs")?,
            enabled: flag("enabled")?,
        })
    }

    pub async fn application_by_client_id(&self, client_id: &str) -> Result<Application> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {FROM} WHERE a.client_id = $1"
        )))
        .bind(client_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Error::NotFound("application"))?;
        self.application_from_row(&row)
    }

    pub async fn application(&self, id: &AppId) -> Result<Application> {
        let mut conn = self.db.pool().acquire().await?;
        self.application_on(&mut conn, id).await
    }

    /// [`Engine::application`] read on `conn` (a transaction that is changing access, say).
    pub(crate) async fn application_on(
        &self,
        conn: &mut sqlx::AnyConnection,
        id: &AppId,
    ) -> Result<Application> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {FROM} WHERE a.id = $1"
        )))
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("application"))?;
        self.application_from_row(&row)
    }

    /// A system application of the root organization (`CONSOLE_APP` or `MY_ACCOUNT_APP`).
    pub async fn system_application(&self, kind: &str) -> Result<Application> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} {FROM} WHERE a.system_kind = $1 ORDER BY a.created_at LIMIT 1"
        )))
        .bind(kind)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Error::NotFound("application"))?;
        self.application_from_row(&row)
    }

    /// Client authentication at the token, introspection and revocation endpoints. A confidential
    /// client must present its secret; a public client must not claim one. Comparing SHA-256 digests
    /// of a 256-bit secret leaks nothing useful through timing.
    pub async fn authenticate_client(
        &self,
        client_id: &str,
        secret: Option<&str>,
    ) -> Result<Application> {
        let app = match self.application_by_client_id(client_id).await {
            Ok(app) => app,
            Err(Error::NotFound(_)) => return Err(Error::InvalidCredentials),
            Err(e) => return Err(e),
        };
        // Nobody outside the server is a portal: its sign-in happens in process.
        if app.is_portal() {
            return Err(Error::InvalidCredentials);
        }
        match (app.client_type, secret, app.secret_hash.as_deref()) {
            (ClientType::Public, None, _) => Ok(app),
            (ClientType::Confidential, Some(given), Some(stored)) if digest(given) == stored => {
                Ok(app)
            }
            _ => Err(Error::InvalidCredentials),
        }
    }

    /// Registers an application on behalf of the server operator (the command line); the Console's
    /// screens call the same function after their own permission check. Returns the application and,
    /// for a confidential client, its secret — shown once, stored only as a digest.
    pub async fn create_application(
        &self,
        initiator: &str,
        org: &OrgId,
        new: NewApplication,
        now: Timestamp,
    ) -> Result<(Application, Option<Secret>)> {
        let valid = new.validate()?;
        let id = AppId::generate();
        let client_id = uuid::Uuid::new_v4().simple().to_string();
        let secret = (valid.client_type == ClientType::Confidential).then(Secret::generate);
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO applications (id, org_id, name, description, client_id, client_type, secret_hash, \
             system_kind, redirect_uris, post_logout_redirect_uris, grant_types, pkce_required, access_url, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12, $13, $13)",
        )
        .bind(id.as_str())
        .bind(org.as_str())
        .bind(&valid.name)
        .bind(&valid.description)
        .bind(&client_id)
        .bind(valid.client_type.as_str())
        .bind(secret.as_ref().map(|s| digest(s.expose())))
        .bind(json!(valid.redirect_uris).to_string())
        .bind(json!(valid.post_logout_redirect_uris).to_string())
        .bind(json!(valid.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>()).to_string())
        .bind(i64::from(valid.pkce_required))
        .bind(&valid.access_url)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(crate::error::conflict_on("name", "An application with this name already exists."))?;
        for scope in &valid.authorized_scopes {
            let authorized = sqlx::query(
                "INSERT INTO application_authorizations (app_id, resource_id, scope) \
                 SELECT $1, resource_id, name FROM api_scopes WHERE org_id = $2 AND name = $3",
            )
            .bind(id.as_str())
            .bind(org.as_str())
            .bind(scope)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if authorized == 0 {
                return Err(Error::invalid(
                    "authorized_scopes",
                    format!("{scope} is not a scope of any API resource."),
                ));
            }
        }
        audit::record(
            &mut tx,
            AuditEvent::success(
                initiator,
                actions::ADD_APPLICATION,
                id.as_str(),
                json!({ "name": valid.name, "clientId": client_id, "authorizedScopes": valid.authorized_scopes }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((self.application(&id).await?, secret))
    }
}

/// What registering an application takes.
#[derive(Clone, Debug)]
pub struct NewApplication {
    pub name: String,
    pub description: String,
    pub client_type: ClientType,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub grant_types: Vec<GrantType>,
    pub access_url: String,
    /// Scopes of API resources to authorize the application for at once (the operator's command
    /// line; the Console authorizes on the API Authorization tab).
    pub authorized_scopes: Vec<String>,
}

impl NewApplication {
    fn validate(self) -> Result<ValidNewApplication> {
        let mut checks = Checks::default();
        let name = checks.check("name", validation::display_name(&self.name));
        for uri in &self.redirect_uris {
            checks.check("redirect_uris", redirect_uri(uri));
        }
        for uri in &self.post_logout_redirect_uris {
            checks.check("post_logout_redirect_uris", redirect_uri(uri));
        }
        if self.grant_types.contains(&GrantType::AuthorizationCode) && self.redirect_uris.is_empty()
        {
            checks.add(
                "redirect_uris",
                "Add at least one redirect URI for sign-in.",
            );
        }
        if self.client_type == ClientType::Public
            && self.grant_types.contains(&GrantType::ClientCredentials)
        {
            checks.add(
                "grant_types",
                "A public client cannot use client credentials.",
            );
        }
        if !self.access_url.is_empty() {
            checks.check("access_url", absolute_web_url(&self.access_url));
        }
        checks.finish()?;
        let mut grant_types = self.grant_types;
        grant_types.sort();
        grant_types.dedup();
        Ok(ValidNewApplication {
            name: name.unwrap_or_default(),
            description: self.description.trim().to_owned(),
            client_type: self.client_type,
            pkce_required: true,
            redirect_uris: self.redirect_uris,
            post_logout_redirect_uris: self.post_logout_redirect_uris,
            grant_types,
            access_url: self.access_url,
            authorized_scopes: self
                .authorized_scopes
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
        })
    }
}

struct ValidNewApplication {
    name: String,
    description: String,
    client_type: ClientType,
    pkce_required: bool,
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    grant_types: Vec<GrantType>,
    access_url: String,
    authorized_scopes: Vec<String>,
}

/// A redirect URI an application may register: absolute, no fragment (RFC 6749 §3.1.2), no
/// credentials, and not a scheme that runs code in the browser.
pub fn redirect_uri(raw: &str) -> std::result::Result<String, String> {
    let parsed = url::Url::parse(raw).map_err(|_| format!("{raw} is not an absolute URL."))?;
    if parsed.fragment().is_some() {
        return Err(format!("{raw} has a fragment (#…); redirect URIs cannot."));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("{raw} contains credentials."));
    }
    if matches!(parsed.scheme(), "javascript" | "data" | "file" | "vbscript") {
        return Err(format!("{raw} uses a scheme that is not allowed."));
    }
    if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("{raw} has no host."));
    }
    Ok(raw.to_owned())
}

pub(crate) fn absolute_web_url(raw: &str) -> std::result::Result<String, String> {
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(raw.to_owned())
        }
        _ => Err(format!("{raw} is not an absolute http(s) URL.")),
    }
}

#[cfg(test)]
mod tests {
    use super::redirect_uri;

    #[test]
    fn registrable_redirect_uris() {
        assert!(redirect_uri("https://app.example/cb").is_ok());
        assert!(redirect_uri("com.example.app:/cb").is_ok());
        for bad in [
            "/relative",
            "https://app.example/cb#frag",
            "https://user@app.example/cb",
            "javascript:alert(1)",
            "data:text/html,x",
            "not a url",
        ] {
            assert!(redirect_uri(bad).is_err(), "{bad}");
        }
    }
}
