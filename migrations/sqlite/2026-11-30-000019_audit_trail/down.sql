DROP INDEX audit_log_actor;
DROP INDEX audit_log_data_subject;
ALTER TABLE audit_log DROP COLUMN request_id;
ALTER TABLE audit_log DROP COLUMN reason;
ALTER TABLE audit_log DROP COLUMN about_subject;
ALTER TABLE audit_log DROP COLUMN data_subject;
ALTER TABLE audit_log DROP COLUMN actor_organisation_id;
ALTER TABLE audit_log DROP COLUMN actor_role;

DELETE FROM platform_roles WHERE role = 'data_protection_officer';
CREATE TABLE platform_roles_old ( -- per-backend
    id TEXT PRIMARY KEY NOT NULL, -- per-backend
    subject TEXT NOT NULL, -- per-backend
    role TEXT NOT NULL CHECK (role IN ('admin', 'analyst')), -- per-backend
    granted_by TEXT NOT NULL, -- per-backend
    created_at TIMESTAMP NOT NULL, -- per-backend
    UNIQUE (subject, role) -- per-backend
); -- per-backend
INSERT INTO platform_roles_old (id, subject, role, granted_by, created_at) -- per-backend
    SELECT id, subject, role, granted_by, created_at FROM platform_roles; -- per-backend
DROP TABLE platform_roles; -- per-backend
ALTER TABLE platform_roles_old RENAME TO platform_roles; -- per-backend
