-- Portable between SQLite and PostgreSQL: TEXT ids (UUIDs), BIGINT times (Unix seconds),
-- no booleans (the Any driver decodes them differently per backend).

CREATE TABLE system_state (
    state_key   TEXT PRIMARY KEY,
    state_value TEXT NOT NULL
);

CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    parent_id  TEXT REFERENCES organizations (id),
    handle     TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    given_name    TEXT NOT NULL,
    family_name   TEXT NOT NULL,
    status        TEXT NOT NULL,
    password_hash TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT users_username_unique UNIQUE (org_id, username_key)
);
CREATE INDEX users_by_email ON users (org_id, email_key);

CREATE TABLE applications (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    name        TEXT NOT NULL,
    client_id   TEXT NOT NULL UNIQUE,
    system_kind TEXT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE roles (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations (id),
    name            TEXT NOT NULL,
    -- 'organization', or the id of the one application the role is for
    audience_key    TEXT NOT NULL,
    system_key      TEXT,
    created_at      BIGINT NOT NULL,
    CONSTRAINT roles_name_unique UNIQUE (org_id, audience_key, name),
    CONSTRAINT roles_system_key_unique UNIQUE (org_id, system_key)
);

CREATE TABLE role_permissions (
    role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    scope   TEXT NOT NULL,
    PRIMARY KEY (role_id, scope)
);

CREATE TABLE role_assignments (
    role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, user_id)
);
CREATE INDEX role_assignments_by_user ON role_assignments (user_id);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    auth_time  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_throttle (
    throttle_key  TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL,
    last_failure  BIGINT NOT NULL
);

CREATE TABLE audit_events (
    id           TEXT PRIMARY KEY,
    occurred_at  BIGINT NOT NULL,
    initiator    TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT NOT NULL,
    data         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    impersonator TEXT
);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at);
