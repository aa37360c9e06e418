-- Who acted in which role for which organisation, whose data it was, why, and in which request:
-- nullable, because entries written before this migration did not record them.
ALTER TABLE audit_log ADD COLUMN actor_role TEXT;
ALTER TABLE audit_log ADD COLUMN actor_organisation_id TEXT;
ALTER TABLE audit_log ADD COLUMN data_subject TEXT;
ALTER TABLE audit_log ADD COLUMN about_subject TEXT;
ALTER TABLE audit_log ADD COLUMN reason TEXT;
ALTER TABLE audit_log ADD COLUMN request_id TEXT;
CREATE INDEX audit_log_data_subject ON audit_log (data_subject, id);
CREATE INDEX audit_log_actor ON audit_log (actor_subject, id);

-- A data protection officer reads the audit trail and nothing else an admin may do. SQLite cannot
-- change a CHECK constraint, so the (small) table is rebuilt; nothing references it.
CREATE TABLE platform_roles_new ( -- per-backend
    id TEXT PRIMARY KEY NOT NULL, -- per-backend
    subject TEXT NOT NULL, -- per-backend
    role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'data_protection_officer')), -- per-backend
    granted_by TEXT NOT NULL, -- per-backend
    created_at TIMESTAMP NOT NULL, -- per-backend
    UNIQUE (subject, role) -- per-backend
); -- per-backend
INSERT INTO platform_roles_new (id, subject, role, granted_by, created_at) -- per-backend
    SELECT id, subject, role, granted_by, created_at FROM platform_roles; -- per-backend
DROP TABLE platform_roles; -- per-backend
ALTER TABLE platform_roles_new RENAME TO platform_roles; -- per-backend
