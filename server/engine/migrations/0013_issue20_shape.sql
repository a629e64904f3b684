-- A grant derived from another one (organization_switch) names its source: the grant its token
-- came from, and that token's id. It ends when its source grant ends or that token is revoked.
ALTER TABLE oauth_grants ADD COLUMN source_grant_id TEXT;
ALTER TABLE oauth_grants ADD COLUMN source_jti TEXT;
CREATE INDEX oauth_grants_by_source ON oauth_grants (source_grant_id) WHERE source_grant_id IS NOT NULL;
CREATE INDEX oauth_grants_by_source_token ON oauth_grants (source_jti) WHERE source_jti IS NOT NULL;
-- How long a rotated refresh token presented again is taken for a concurrent duplicate rather
-- than a replay (0: every reuse is a replay and ends the family, RFC 9700 §4.14.2).
ALTER TABLE applications ADD COLUMN refresh_grace_secs BIGINT NOT NULL DEFAULT 0;
-- The correlation id a caller sent (X-Correlation-ID), beside the server's own: recorded so the
-- caller can find its requests, never used to tell requests apart.
ALTER TABLE audit_events ADD COLUMN caller_correlation_id TEXT;
