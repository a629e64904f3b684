-- Re-authentication the authorization endpoint asked for (`prompt=login`, `max_age`): kept here, so
-- the browser's return after signing in carries only a random id (stored as SHA-256), never the
-- time itself, which anyone could rewrite.
CREATE TABLE reauthentications (
    id_hash     TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    auth_after  BIGINT NOT NULL,  -- the sign-in must be at or after this time
    expires_at  BIGINT NOT NULL,
    -- The session whose sign-in answered the demand (SHA-256 of its token): only that session may
    -- redeem it, so an id obtained by anyone cannot vouch for a sign-in made elsewhere.
    session_hash TEXT
);
CREATE INDEX reauthentications_by_expiry ON reauthentications (expires_at);
