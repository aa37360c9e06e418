DROP TABLE supporting_information;
DROP TABLE advocate_links;
ALTER TABLE applicant_profiles DROP COLUMN consent_giver_name;
ALTER TABLE applicant_profiles DROP COLUMN consent_given_by;
