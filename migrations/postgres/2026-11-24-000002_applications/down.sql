DROP TABLE notifications;
DROP TABLE application_events;
DROP TABLE applications;
DROP TABLE applicant_profiles;
ALTER TABLE placements DROP COLUMN questions;
