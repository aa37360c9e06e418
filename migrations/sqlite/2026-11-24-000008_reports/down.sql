DROP INDEX applications_created_at;
ALTER TABLE participant_feedback DROP COLUMN completed_pre_module;
ALTER TABLE applications DROP COLUMN applicant_age;
ALTER TABLE applications DROP COLUMN stage_reached;
ALTER TABLE equality_responses DROP COLUMN consent_giver_name;
ALTER TABLE equality_responses DROP COLUMN consent_given_by;
ALTER TABLE equality_responses DROP COLUMN recorded_by;
ALTER TABLE equality_responses ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
DROP TABLE equality_answers;
