-- User impersonation. An SSO session becomes an impersonation session when its user (the
-- impersonator) starts impersonating someone (the subject); from then on every sign-in the session
-- makes is the subject's, with the impersonator as the real actor (`act`). Records stay after the
-- impersonation ends: they are the accountability trail (who, whom, when, how it ended, where).

CREATE TABLE impersonations (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations (id),
    -- The SSO session (SHA-256 of its token); not a foreign key: the record outlives the session.
    session_hash     TEXT NOT NULL,
    -- Ids only, no foreign keys: deleting a user must not erase who impersonated whom.
    impersonator_id  TEXT NOT NULL,
    subject_id       TEXT NOT NULL,
    -- The application through which it started (My Account for the Console's button).
    started_via      TEXT NOT NULL,
    started_at       BIGINT NOT NULL,
    -- The hard limit: nothing minted under the impersonation lives past it.
    expires_at       BIGINT NOT NULL,
    ended_at         BIGINT,
    -- stopped | time_limit | signed_out | session_expired | account_changed
    end_reason       TEXT,
    -- When the subject was told (the notification work fills it in).
    notified_at      BIGINT
);
-- One live impersonation per SSO session, enforced by the database against racing requests.
CREATE UNIQUE INDEX impersonations_live_per_session ON impersonations (session_hash) WHERE ended_at IS NULL;
CREATE INDEX impersonations_by_impersonator ON impersonations (impersonator_id, started_at);
CREATE INDEX impersonations_by_subject ON impersonations (subject_id, started_at);
CREATE INDEX impersonations_by_expiry ON impersonations (expires_at) WHERE ended_at IS NULL;

-- The applications signed into during an impersonation (the first time each).
CREATE TABLE impersonation_applications (
    impersonation_id  TEXT NOT NULL REFERENCES impersonations (id) ON DELETE CASCADE,
    app_id            TEXT NOT NULL,
    app_name          TEXT NOT NULL,
    first_entered_at  BIGINT NOT NULL,
    PRIMARY KEY (impersonation_id, app_id)
);

-- A grant made under an impersonation names it: ending the impersonation revokes the grant, and
-- its tokens die with the impersonation's time limit even before anything revokes them.
ALTER TABLE oauth_grants ADD COLUMN impersonation_id TEXT;
CREATE INDEX oauth_grants_by_impersonation ON oauth_grants (impersonation_id);

-- Subject tokens issued at the authorization endpoint: each can be exchanged once, and a public
-- client's exchange must present the PKCE verifier of the request that obtained it.
CREATE TABLE subject_tokens (
    jti             TEXT PRIMARY KEY,
    app_id          TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    code_challenge  TEXT,
    expires_at      BIGINT NOT NULL,
    exchanged_at    BIGINT
);
CREATE INDEX subject_tokens_by_expiry ON subject_tokens (expires_at);

-- A system application can be switched off (the My Account portal, as the guide's prerequisite).
ALTER TABLE applications ADD COLUMN enabled BIGINT NOT NULL DEFAULT 1;
