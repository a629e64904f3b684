-- The impersonation guardrails of an organization (issue 23). No row: the defaults — a sign-in
-- within 5 minutes before an impersonation starts, with the second factor when the impersonator
-- has one; no reason asked.
CREATE TABLE impersonation_policies (
    org_id                TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    -- Minutes since the impersonator last proved who they are; 0 turns step-up off.
    step_up_minutes       BIGINT NOT NULL,
    -- 'if_enrolled' or 'always'.
    step_up_second_factor TEXT NOT NULL,
    -- 'off', 'optional' or 'required'.
    reason_policy         TEXT NOT NULL,
    -- A regular expression a ticket id must match, whole; NULL for none.
    ticket_pattern        TEXT,
    -- The organization's own hard limit of an impersonation, in minutes; NULL for the deployment's
    -- (GUISE_IMPERSONATION_MINUTES), which it never exceeds.
    hard_limit_minutes    BIGINT,
    updated_at            BIGINT NOT NULL
);

-- Why an impersonation was started, as the impersonator said: kept with it, and with the subject
-- token that asked for it until the exchange starts it.
ALTER TABLE impersonations ADD COLUMN reason TEXT;
ALTER TABLE impersonations ADD COLUMN ticket TEXT;
ALTER TABLE subject_tokens ADD COLUMN reason TEXT;
ALTER TABLE subject_tokens ADD COLUMN ticket TEXT;
