-- Education providers (colleges) and their provider coordinators, T-level placements arranged by
-- agreement, and proposals submitted by a provider for its students. SQLite cannot change a CHECK
-- constraint, so the four tables whose CHECK lists grow are rebuilt with SQLite's documented
-- procedure (https://sqlite.org/lang_altertable.html#otheralter), outside diesel's transaction
-- (metadata.toml) so that foreign keys can be switched off around it; PostgreSQL replaces the
-- named constraints.
BEGIN;
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check; -- per-backend
ALTER TABLE organisations ADD CONSTRAINT organisations_kind_check CHECK (kind IN ('nhs_trust', 'integrated_care_board', 'gp_practice', 'social_care_provider', 'partner', 'education_provider')); -- per-backend
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check; -- per-backend
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('coordinator', 'host', 'provider_coordinator')); -- per-backend
ALTER TABLE placements DROP CONSTRAINT placements_selection_method_check; -- per-backend
ALTER TABLE placements ADD CONSTRAINT placements_selection_method_check CHECK (selection_method IN ('lottery', 'name_blind_review', 'by_agreement')); -- per-backend
ALTER TABLE applications DROP CONSTRAINT applications_submitted_by_role_check; -- per-backend
ALTER TABLE applications ADD CONSTRAINT applications_submitted_by_role_check CHECK (submitted_by_role IN ('applicant', 'advocate', 'provider_coordinator')); -- per-backend
-- A provider's students: managed applicant profiles (with the consent recorded on the profile)
-- that belong to an education provider organisation, any of whose provider coordinators manage
-- them, with the T-level course the college matches placements to.
CREATE TABLE provider_students (
    profile_id TEXT PRIMARY KEY NOT NULL REFERENCES applicant_profiles (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    course TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX provider_students_organisation ON provider_students (organisation_id, profile_id);
COMMIT;
