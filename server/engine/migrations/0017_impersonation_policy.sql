-- The impersonation guardrails of an organization (issue 23). No row: the defaults — a sign-in
-- within 5 minutes before an impersonation starts, with the second factor when the impersonator
-- has one.
CREATE TABLE impersonation_policies (
    org_id                TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    -- Minutes since the impersonator last proved who they are; 0 turns step-up off.
    step_up_minutes       BIGINT NOT NULL,
    -- 'if_enrolled' or 'always'.
    step_up_second_factor TEXT NOT NULL,
    updated_at            BIGINT NOT NULL
);
