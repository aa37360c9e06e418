BEGIN;
DROP TABLE provider_students;
DELETE FROM memberships WHERE role = 'provider_coordinator';
UPDATE placements SET selection_method = 'name_blind_review' WHERE selection_method = 'by_agreement';
UPDATE applications SET submitted_by_role = 'advocate' WHERE submitted_by_role = 'provider_coordinator';
UPDATE organisations SET kind = 'partner' WHERE kind = 'education_provider';
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check; -- per-backend
ALTER TABLE organisations ADD CONSTRAINT organisations_kind_check CHECK (kind IN ('nhs_trust', 'integrated_care_board', 'gp_practice', 'social_care_provider', 'partner')); -- per-backend
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check; -- per-backend
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('coordinator', 'host')); -- per-backend
ALTER TABLE placements DROP CONSTRAINT placements_selection_method_check; -- per-backend
ALTER TABLE placements ADD CONSTRAINT placements_selection_method_check CHECK (selection_method IN ('lottery', 'name_blind_review')); -- per-backend
ALTER TABLE applications DROP CONSTRAINT applications_submitted_by_role_check; -- per-backend
ALTER TABLE applications ADD CONSTRAINT applications_submitted_by_role_check CHECK (submitted_by_role IN ('applicant', 'advocate')); -- per-backend
COMMIT;
