DROP INDEX audit_log_actor;
DROP INDEX audit_log_data_subject;
ALTER TABLE audit_log DROP COLUMN request_id;
ALTER TABLE audit_log DROP COLUMN reason;
ALTER TABLE audit_log DROP COLUMN about_subject;
ALTER TABLE audit_log DROP COLUMN data_subject;
ALTER TABLE audit_log DROP COLUMN actor_organisation_id;
ALTER TABLE audit_log DROP COLUMN actor_role;

DELETE FROM platform_roles WHERE role = 'data_protection_officer';
ALTER TABLE platform_roles DROP CONSTRAINT platform_roles_role_check; -- per-backend
ALTER TABLE platform_roles ADD CONSTRAINT platform_roles_role_check CHECK (role IN ('admin', 'analyst')); -- per-backend
