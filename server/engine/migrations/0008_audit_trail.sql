-- The audit trail: a total order (`seq`, gapless, assigned under the chain head's lock, so it is
-- commit order on every backend and across nodes), millisecond time, the request's correlation
-- id, the impersonation the event happened in, and a hash chain (each event's hash covers the
-- previous event's hash and its own canonical content) that makes editing, deleting or
-- reordering rows by hand detectable. Rows written before this migration are chained at the next
-- start (see `audit::chain::seal_unchained`).
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN occurred_ms BIGINT;
ALTER TABLE audit_events ADD COLUMN correlation_id TEXT;
ALTER TABLE audit_events ADD COLUMN impersonation_id TEXT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;

CREATE UNIQUE INDEX audit_events_by_seq ON audit_events (seq);
-- The Logs page filters, each answered from an index in `seq` order (newest first paging).
CREATE INDEX audit_events_by_action ON audit_events (action, seq);
CREATE INDEX audit_events_by_initiator ON audit_events (initiator, seq);
CREATE INDEX audit_events_by_target ON audit_events (target, seq);
CREATE INDEX audit_events_by_impersonator ON audit_events (impersonator, seq);
CREATE INDEX audit_events_by_time_ms ON audit_events (occurred_ms, seq);
CREATE INDEX audit_events_by_correlation ON audit_events (correlation_id);
CREATE INDEX audit_events_by_impersonation ON audit_events (impersonation_id, seq);

-- The head of the chain: one row, locked by every append (UPDATE ... RETURNING), so appends are
-- serialized and `last_seq`/`last_hash` are those of the last committed event.
CREATE TABLE audit_chain (
    id        BIGINT PRIMARY KEY,
    last_seq  BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Where the audit log file projection stands is kept beside the file, not here: see audit::file.
