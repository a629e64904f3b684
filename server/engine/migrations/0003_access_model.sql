-- The access model: API resources own scopes; applications are authorized for some of them; roles
-- carry scopes as permissions for an audience (the organization or one application).

CREATE TABLE api_resources (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    identifier  TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    -- set for the resources Guise itself defines; those cannot be edited or deleted
    system_key  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT api_resources_identifier_unique UNIQUE (org_id, identifier)
);

-- A scope name is unique in an organization, so a token's scope names exactly one resource's scope.
CREATE TABLE api_scopes (
    resource_id  TEXT NOT NULL REFERENCES api_resources (id) ON DELETE CASCADE,
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    name         TEXT NOT NULL,
    display_name TEXT NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (resource_id, name),
    CONSTRAINT api_scopes_name_unique UNIQUE (org_id, name)
);

CREATE TABLE application_authorizations (
    app_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL REFERENCES api_resources (id) ON DELETE CASCADE,
    scope       TEXT NOT NULL,
    PRIMARY KEY (app_id, scope)
);
CREATE INDEX application_authorizations_by_resource ON application_authorizations (resource_id);
