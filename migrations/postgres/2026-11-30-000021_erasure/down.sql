ALTER TABLE applicant_profiles DROP COLUMN erased_at;
