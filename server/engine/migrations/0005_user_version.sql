-- SCIM ETags (RFC 7644 §3.14): every change to a user raises its version, so a client's If-Match
-- tells whether the user changed since it read them. Numbered apart from the next shared
-- migrations so that work merged from other branches does not collide with it.
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
