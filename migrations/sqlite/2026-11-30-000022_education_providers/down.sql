PRAGMA foreign_keys=OFF; -- per-backend
BEGIN;
DROP TABLE provider_students;
DELETE FROM memberships WHERE role = 'provider_coordinator';
UPDATE placements SET selection_method = 'name_blind_review' WHERE selection_method = 'by_agreement';
UPDATE applications SET submitted_by_role = 'advocate' WHERE submitted_by_role = 'provider_coordinator';
UPDATE organisations SET kind = 'partner' WHERE kind = 'education_provider';
CREATE TABLE organisations_new ( -- per-backend
    id TEXT PRIMARY KEY NOT NULL, -- per-backend
    name TEXT NOT NULL, -- per-backend
    kind TEXT NOT NULL CHECK (kind IN ('nhs_trust', 'integrated_care_board', 'gp_practice', 'social_care_provider', 'partner')), -- per-backend
    region TEXT NOT NULL CHECK (region IN ('east_of_england', 'london', 'midlands', 'north_east_and_yorkshire', 'north_west', 'south_east', 'south_west')), -- per-backend
    ods_code TEXT UNIQUE, -- per-backend
    description TEXT, -- per-backend
    version BIGINT NOT NULL, -- per-backend
    created_at TIMESTAMP NOT NULL, -- per-backend
    updated_at TIMESTAMP NOT NULL -- per-backend
); -- per-backend
INSERT INTO organisations_new (id, name, kind, region, ods_code, description, version, created_at, updated_at) -- per-backend
    SELECT id, name, kind, region, ods_code, description, version, created_at, updated_at FROM organisations; -- per-backend
DROP TABLE organisations; -- per-backend
ALTER TABLE organisations_new RENAME TO organisations; -- per-backend
CREATE INDEX organisations_region ON organisations (region); -- per-backend
CREATE TABLE memberships_new ( -- per-backend
    id TEXT PRIMARY KEY NOT NULL, -- per-backend
    organisation_id TEXT NOT NULL REFERENCES organisations (id), -- per-backend
    subject TEXT NOT NULL, -- per-backend
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'host')), -- per-backend
    granted_by TEXT NOT NULL, -- per-backend
    created_at TIMESTAMP NOT NULL, -- per-backend
    UNIQUE (organisation_id, subject, role) -- per-backend
); -- per-backend
INSERT INTO memberships_new (id, organisation_id, subject, role, granted_by, created_at) -- per-backend
    SELECT id, organisation_id, subject, role, granted_by, created_at FROM memberships; -- per-backend
DROP TABLE memberships; -- per-backend
ALTER TABLE memberships_new RENAME TO memberships; -- per-backend
CREATE INDEX memberships_subject ON memberships (subject); -- per-backend
CREATE TABLE placements_new ( -- per-backend
    id TEXT PRIMARY KEY NOT NULL, -- per-backend
    organisation_id TEXT NOT NULL REFERENCES organisations (id), -- per-backend
    site_id TEXT REFERENCES sites (id), -- per-backend
    department_id TEXT REFERENCES departments (id), -- per-backend
    kind TEXT NOT NULL CHECK (kind IN ('work_experience', 'work_related_learning', 't_level_industry_placement')), -- per-backend
    delivery TEXT NOT NULL CHECK (delivery IN ('in_person', 'online', 'hybrid')), -- per-backend
    specialty TEXT NOT NULL CHECK (specialty IN ('allied_health_professions', 'ambulance', 'dental', 'health_informatics', 'healthcare_support_worker', 'healthcare_science', 'medicine', 'midwifery', 'management', 'nursing', 'pharmacy', 'psychological_professions', 'public_health', 'wider_healthcare_team')), -- per-backend
    title TEXT NOT NULL, -- per-backend
    description TEXT NOT NULL, -- per-backend
    start_date DATE NOT NULL, -- per-backend
    end_date DATE NOT NULL, -- per-backend
    daily_start TEXT NOT NULL, -- per-backend
    daily_end TEXT NOT NULL, -- per-backend
    capacity INTEGER NOT NULL CHECK (capacity >= 1), -- per-backend
    min_age SMALLINT, -- per-backend
    max_age SMALLINT, -- per-backend
    eligible_user_groups TEXT, -- per-backend
    catchment TEXT, -- per-backend
    opens_at TIMESTAMP NOT NULL, -- per-backend
    closes_at TIMESTAMP NOT NULL, -- per-backend
    outcome_by DATE NOT NULL, -- per-backend
    selection_method TEXT NOT NULL CHECK (selection_method IN ('lottery', 'name_blind_review')), -- per-backend
    priority_rules TEXT NOT NULL, -- per-backend
    preparation TEXT NOT NULL, -- per-backend
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed', 'allocated', 'completed', 'cancelled')), -- per-backend
    draw_commitment TEXT, -- per-backend
    cancellation_reason TEXT, -- per-backend
    version BIGINT NOT NULL, -- per-backend
    created_at TIMESTAMP NOT NULL, -- per-backend
    updated_at TIMESTAMP NOT NULL, -- per-backend
    published_at TIMESTAMP, questions TEXT NOT NULL DEFAULT '[]', offer_response_days SMALLINT NOT NULL DEFAULT 5, -- per-backend
    CHECK (opens_at < closes_at), -- per-backend
    CHECK (end_date >= start_date) -- per-backend
); -- per-backend
INSERT INTO placements_new (id, organisation_id, site_id, department_id, kind, delivery, specialty, title, description, start_date, end_date, daily_start, daily_end, capacity, min_age, max_age, eligible_user_groups, catchment, opens_at, closes_at, outcome_by, selection_method, priority_rules, preparation, status, draw_commitment, cancellation_reason, version, created_at, updated_at, published_at, questions, offer_response_days) -- per-backend
    SELECT id, organisation_id, site_id, department_id, kind, delivery, specialty, title, description, start_date, end_date, daily_start, daily_end, capacity, min_age, max_age, eligible_user_groups, catchment, opens_at, closes_at, outcome_by, selection_method, priority_rules, preparation, status, draw_commitment, cancellation_reason, version, created_at, updated_at, published_at, questions, offer_response_days FROM placements; -- per-backend
DROP TABLE placements; -- per-backend
ALTER TABLE placements_new RENAME TO placements; -- per-backend
CREATE INDEX placements_department_id ON placements (department_id); -- per-backend
CREATE INDEX placements_organisation_id ON placements (organisation_id, closes_at, id); -- per-backend
CREATE INDEX placements_site_id ON placements (site_id); -- per-backend
CREATE INDEX placements_status_closes_at ON placements (status, closes_at, id); -- per-backend
CREATE TABLE applications_new ( -- per-backend
    id TEXT PRIMARY KEY NOT NULL, -- per-backend
    placement_id TEXT NOT NULL REFERENCES placements (id), -- per-backend
    profile_id TEXT NOT NULL REFERENCES applicant_profiles (id), -- per-backend
    status TEXT NOT NULL CHECK (status IN ('submitted', 'withdrawn', 'entered', 'not_entered', 'offered', 'waitlisted', 'accepted', 'declined', 'expired', 'not_selected', 'attended', 'did_not_attend', 'completed', 'cancelled')), -- per-backend
    ticket TEXT NOT NULL UNIQUE, -- per-backend
    privacy_notice_version TEXT NOT NULL, -- per-backend
    submitted_by_subject TEXT NOT NULL, -- per-backend
    submitted_by_role TEXT NOT NULL CHECK (submitted_by_role IN ('applicant', 'advocate')), -- per-backend
    answers TEXT NOT NULL, -- per-backend
    can_travel BOOLEAN, -- per-backend
    in_catchment BOOLEAN, -- per-backend
    outcome_expected_by DATE NOT NULL, -- per-backend
    version BIGINT NOT NULL, -- per-backend
    created_at TIMESTAMP NOT NULL, -- per-backend
    updated_at TIMESTAMP NOT NULL, outcome_at TIMESTAMP, draw_tier INTEGER, draw_position INTEGER, meets_criteria BOOLEAN, stage_reached SMALLINT NOT NULL DEFAULT 0, applicant_age SMALLINT NOT NULL DEFAULT 0, -- per-backend
    UNIQUE (placement_id, profile_id) -- per-backend
); -- per-backend
INSERT INTO applications_new (id, placement_id, profile_id, status, ticket, privacy_notice_version, submitted_by_subject, submitted_by_role, answers, can_travel, in_catchment, outcome_expected_by, version, created_at, updated_at, outcome_at, draw_tier, draw_position, meets_criteria, stage_reached, applicant_age) -- per-backend
    SELECT id, placement_id, profile_id, status, ticket, privacy_notice_version, submitted_by_subject, submitted_by_role, answers, can_travel, in_catchment, outcome_expected_by, version, created_at, updated_at, outcome_at, draw_tier, draw_position, meets_criteria, stage_reached, applicant_age FROM applications; -- per-backend
DROP TABLE applications; -- per-backend
ALTER TABLE applications_new RENAME TO applications; -- per-backend
CREATE INDEX applications_created_at ON applications (created_at); -- per-backend
CREATE INDEX applications_placement_id_id ON applications (placement_id, id); -- per-backend
CREATE INDEX applications_profile_id ON applications (profile_id, id); -- per-backend
CREATE INDEX applications_waiting ON applications (placement_id, status, draw_position); -- per-backend
PRAGMA foreign_key_check; -- per-backend
COMMIT;
PRAGMA foreign_keys=ON; -- per-backend
