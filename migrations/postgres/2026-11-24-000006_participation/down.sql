DROP TABLE host_feedback;
DROP TABLE participant_feedback;
DROP TABLE certificates;
DROP TABLE audit_log;
DROP TABLE placement_hosts;
ALTER TABLE applications DROP COLUMN meets_criteria;
