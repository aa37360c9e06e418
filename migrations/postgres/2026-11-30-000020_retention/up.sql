-- Retention of accounts (issue 13, item 4): when the applicant last used the API, recorded at most
-- once a day, and when they were warned that their account would be erased for inactivity. A
-- profile signed in to since its warning is no longer due for erasure; one that stays inactive is
-- erased after the notice period. The same SQL on both backends (a test checks it).
ALTER TABLE applicant_profiles ADD COLUMN last_active_at TIMESTAMP;
ALTER TABLE applicant_profiles ADD COLUMN inactivity_warned_at TIMESTAMP;
-- Profiles made before this column existed: the latest change to the profile is the best evidence
-- of activity known.
UPDATE applicant_profiles SET last_active_at = updated_at;
-- The retention run looks for settled messages and old audit entries by time.
CREATE INDEX notifications_settled ON notifications (settled_at);
CREATE INDEX audit_log_at ON audit_log (at);
