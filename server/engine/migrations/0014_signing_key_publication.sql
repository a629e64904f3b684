-- A rotated-in key is published (listed in every node's JWKS) before any node signs with it: it
-- signs from `signs_from`, and the key it replaces is retired at that same moment. Keys created
-- before this column existed signed from their creation.
ALTER TABLE signing_keys ADD COLUMN signs_from BIGINT NOT NULL DEFAULT 0;
UPDATE signing_keys SET signs_from = created_at;
