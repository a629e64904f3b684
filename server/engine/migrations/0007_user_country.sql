-- The user's country (a profile attribute, SCIM `addresses[].country`); '' when unset.
-- `address_primary` keeps what a provisioning client said of that address's `primary` flag, so
-- SCIM answers with the address as it was given (1 unless a client said otherwise). Both column
-- types work on SQLite and PostgreSQL alike; 0006 is left to the impersonation work (sqlx applies
-- a lower number merged later as well).
ALTER TABLE users ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN address_primary BIGINT NOT NULL DEFAULT 1;
