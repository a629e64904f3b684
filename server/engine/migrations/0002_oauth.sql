-- The OAuth 2.0 / OpenID Connect provider: applications as clients, signing keys, grants, codes,
-- refresh tokens, revocations and consents. Flags are BIGINT 0/1 (portable through the Any driver);
-- lists are JSON arrays in TEXT.

-- The identifier a provisioning client (SCIM) keeps for the user.
ALTER TABLE users ADD COLUMN external_id TEXT;

ALTER TABLE applications ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN client_type TEXT NOT NULL DEFAULT 'confidential';
ALTER TABLE applications ADD COLUMN secret_hash TEXT;
ALTER TABLE applications ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT '[]';
ALTER TABLE applications ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]';
ALTER TABLE applications ADD COLUMN grant_types TEXT NOT NULL DEFAULT '["authorization_code","refresh_token"]';
ALTER TABLE applications ADD COLUMN pkce_required BIGINT NOT NULL DEFAULT 1;
ALTER TABLE applications ADD COLUMN access_token_lifetime BIGINT NOT NULL DEFAULT 3600;
ALTER TABLE applications ADD COLUMN refresh_token_lifetime BIGINT NOT NULL DEFAULT 86400;
ALTER TABLE applications ADD COLUMN id_token_lifetime BIGINT NOT NULL DEFAULT 3600;
ALTER TABLE applications ADD COLUMN access_url TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN discoverable BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN skip_login_consent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN skip_logout_consent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN subject_token_enabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN subject_token_lifetime BIGINT NOT NULL DEFAULT 180;
ALTER TABLE applications ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- The Console and My Account are public clients of our own provider; their redirect URIs derive
-- from the configured public URL, so they are not stored.
UPDATE applications
SET client_type = 'public', grant_types = '["authorization_code","refresh_token"]',
    skip_login_consent = 1, skip_logout_consent = 1, access_token_lifetime = 900
WHERE system_kind IS NOT NULL;

CREATE UNIQUE INDEX applications_name_unique ON applications (org_id, name);

CREATE TABLE signing_keys (
    kid          TEXT PRIMARY KEY,
    private_der  TEXT NOT NULL,  -- PKCS#8, base64
    created_at   BIGINT NOT NULL,
    retired_at   BIGINT          -- NULL for the current key
);

-- One user's authorization of one application, from one sign-in: what codes, refresh tokens and
-- access tokens hang off, and what revocation revokes as a whole.
CREATE TABLE oauth_grants (
    id            TEXT PRIMARY KEY,
    app_id        TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    actor_id      TEXT,
    scope         TEXT NOT NULL,
    session_hash  TEXT,
    auth_time     BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    activated_at  BIGINT,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT
);
CREATE INDEX oauth_grants_by_session ON oauth_grants (session_hash, app_id);
CREATE INDEX oauth_grants_by_user ON oauth_grants (user_id);

CREATE TABLE authorization_codes (
    code_hash       TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT,
    nonce           TEXT,
    expires_at      BIGINT NOT NULL,
    redeemed_at     BIGINT
);

CREATE TABLE refresh_tokens (
    token_hash  TEXT PRIMARY KEY,
    grant_id    TEXT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);

-- Access tokens are self-contained JWTs. A row exists for those issued under a grant (so revoking
-- the grant deactivates them) and for any revoked one; client-credentials tokens cost no write.
CREATE TABLE access_tokens (
    jti         TEXT PRIMARY KEY,
    grant_id    TEXT REFERENCES oauth_grants (id) ON DELETE CASCADE,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX access_tokens_by_grant ON access_tokens (grant_id);

CREATE TABLE consents (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    app_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    scope       TEXT NOT NULL,
    granted_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_id, scope)
);
