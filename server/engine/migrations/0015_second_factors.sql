-- Second factors (issue 23): an authenticator app (TOTP) and recovery codes per user, the pending
-- second step of a sign-in, and how each session (and each grant made from it) was signed into.

CREATE TABLE totp_factors (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- Base32, as the authenticator app was given it: the server must compute the same codes.
    secret       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    -- NULL until the user typed a first code from the app: only then does it guard sign-ins.
    confirmed_at BIGINT,
    -- The last time step whose code was accepted: neither it nor an earlier one counts again.
    last_step    BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in whose password was right and whose second factor is due. The browser holds the token.
CREATE TABLE sign_in_challenges (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  BIGINT NOT NULL,
    answering   TEXT,
    application TEXT
);
CREATE INDEX sign_in_challenges_by_expiry ON sign_in_challenges (expires_at);

ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
ALTER TABLE oauth_grants ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
