DROP INDEX audit_log_at;
DROP INDEX notifications_settled;
ALTER TABLE applicant_profiles DROP COLUMN inactivity_warned_at;
ALTER TABLE applicant_profiles DROP COLUMN last_active_at;
