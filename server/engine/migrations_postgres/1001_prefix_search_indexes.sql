-- PostgreSQL only: with a linguistic collation a plain btree cannot serve `LIKE 'prefix%'`;
-- text_pattern_ops indexes can. (SQLite uses its ordinary indexes, see db.rs.)
CREATE INDEX users_username_prefix ON users (org_id, username_key text_pattern_ops);
CREATE INDEX users_email_prefix ON users (org_id, email_key text_pattern_ops);
