-- The organization a browser session's Console acts in, when its administrator switched to one
-- below their own (Organization Management > Organizations > Switch). NULL: their own.
ALTER TABLE sessions ADD COLUMN acting_org_id TEXT;
