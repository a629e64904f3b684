-- Organizations form a tree (organizations.parent_id, from the first migration). A user is
-- resident in one organization and may be invited into organizations below it (a shared user:
-- credentials stay at home, roles are the child's). An application is owned by one organization
-- and shared down the tree: with every organization below its owner, present and future
-- (share_mode 'all'), or with the ones listed (share_mode 'selected').

CREATE TABLE organization_members (
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invited_by TEXT NOT NULL,
    invited_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX organization_members_by_user ON organization_members (user_id);

ALTER TABLE applications ADD COLUMN share_mode TEXT NOT NULL DEFAULT 'none';

CREATE TABLE application_shares (
    app_id    TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    org_id    TEXT NOT NULL REFERENCES organizations (id),
    shared_at BIGINT NOT NULL,
    PRIMARY KEY (app_id, org_id)
);

CREATE INDEX organizations_by_parent ON organizations (parent_id);
