-- Notifications. A message is written to the outbox in the same transaction as the change that
-- causes it (so it exists exactly when that change committed); a background worker delivers it
-- over SMTP, with leases so that several nodes never send the same message, and backoff.

CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations (id),
    -- The template type it was rendered from (ImpersonationEmailNotification, ...).
    kind             TEXT NOT NULL,
    locale           TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    -- Rendered when enqueued: a later template edit does not change a message already due.
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    -- The impersonation the message is about, if any (no foreign key: the outbox is a record).
    impersonation_id TEXT,
    created_at       BIGINT NOT NULL,
    -- pending | sent | failed (refused for good by the mail server)
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    -- The claim of one delivery attempt: nobody else tries the message until lease_until.
    lease_owner      TEXT,
    lease_until      BIGINT,
    -- A short classified reason (unreachable, rejected, ...), never a server's raw text.
    last_error       TEXT,
    sent_at          BIGINT
);
-- One message of each kind per impersonation session, whatever races to write it.
CREATE UNIQUE INDEX outbox_once_per_impersonation ON outbox (impersonation_id, kind)
    WHERE impersonation_id IS NOT NULL;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_org ON outbox (org_id, created_at);

-- A template an organization customized; the defaults live in code, so a row exists only after
-- an edit and "reset to default" deletes it.
CREATE TABLE email_templates (
    org_id         TEXT NOT NULL REFERENCES organizations (id),
    template_type  TEXT NOT NULL,
    locale         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (org_id, template_type, locale)
);

-- Login & Registration > Organization settings > Impersonation. No row: the defaults (on).
CREATE TABLE impersonation_settings (
    org_id                     TEXT PRIMARY KEY REFERENCES organizations (id),
    enable_email_notification  BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL
);
