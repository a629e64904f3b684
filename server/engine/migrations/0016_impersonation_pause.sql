-- The kill switch's pause (issue 23): while an organization has a row, nobody starts or carries on
-- an impersonation in it; the root organization's row pauses every organization.
CREATE TABLE impersonation_pauses (
    org_id    TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    paused_at BIGINT NOT NULL,
    paused_by TEXT NOT NULL
);
