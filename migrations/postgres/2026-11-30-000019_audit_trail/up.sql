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

-- A data protection officer reads the audit trail and nothing else an admin may do. The role's CHECK
-- constraint is replaced (SQLite rebuilds the table instead).
ALTER TABLE platform_roles DROP CONSTRAINT platform_roles_role_check; -- per-backend
ALTER TABLE platform_roles ADD CONSTRAINT platform_roles_role_check -- per-backend
    CHECK (role IN ('admin', 'analyst', 'data_protection_officer')); -- per-backend
