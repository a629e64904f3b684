-- The organization an audit event belongs to: the one the change was made in (the Console's, once
-- switched; the user's, for their own acts). Each organization's Logs show its own events and
-- those of the organizations below it. NULL: the root organization (events from before this).
ALTER TABLE audit_events ADD COLUMN org_id TEXT;
CREATE INDEX audit_events_by_org ON audit_events (org_id, seq);
