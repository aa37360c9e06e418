-- When an applicant's account was erased: the profile stays as a shell without personal data, so
-- that reports and draw records keep their rows; nothing reads it as a person's again.
ALTER TABLE applicant_profiles ADD COLUMN erased_at TIMESTAMP;
