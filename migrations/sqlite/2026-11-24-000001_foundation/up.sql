-- The foundation: organisations, their sites and departments, grants, placements, draw secrets and
-- idempotency keys. Portable types only: ids and JSON as TEXT, codes as TEXT with CHECK constraints,
-- UTC timestamps as TIMESTAMP (microseconds). The PostgreSQL migration is the same SQL.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('nhs_trust', 'integrated_care_board', 'gp_practice', 'social_care_provider', 'partner')),
    region TEXT NOT NULL CHECK (region IN ('east_of_england', 'london', 'midlands', 'north_east_and_yorkshire', 'north_west', 'south_east', 'south_west')),
    ods_code TEXT UNIQUE,
    description TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organisations_region ON organisations (region);

CREATE TABLE sites (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    address_line_1 TEXT NOT NULL,
    address_line_2 TEXT,
    town TEXT NOT NULL,
    postcode TEXT NOT NULL,
    travel_notes TEXT,
    accessibility TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sites_organisation_id ON sites (organisation_id, id);

CREATE TABLE departments (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    site_id TEXT REFERENCES sites (id),
    name TEXT NOT NULL,
    specialty TEXT NOT NULL CHECK (specialty IN ('allied_health_professions', 'ambulance', 'dental', 'health_informatics', 'healthcare_support_worker', 'healthcare_science', 'medicine', 'midwifery', 'management', 'nursing', 'pharmacy', 'psychological_professions', 'public_health', 'wider_healthcare_team')),
    description TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX departments_organisation_id ON departments (organisation_id, id);
CREATE INDEX departments_site_id ON departments (site_id);

CREATE TABLE memberships (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    subject TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'host')),
    granted_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, subject, role)
);
CREATE INDEX memberships_subject ON memberships (subject);

CREATE TABLE platform_roles (
    id TEXT PRIMARY KEY NOT NULL,
    subject TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'analyst')),
    granted_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (subject, role)
);

CREATE TABLE placements (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    site_id TEXT REFERENCES sites (id),
    department_id TEXT REFERENCES departments (id),
    kind TEXT NOT NULL CHECK (kind IN ('work_experience', 'work_related_learning', 't_level_industry_placement')),
    delivery TEXT NOT NULL CHECK (delivery IN ('in_person', 'online', 'hybrid')),
    specialty TEXT NOT NULL CHECK (specialty IN ('allied_health_professions', 'ambulance', 'dental', 'health_informatics', 'healthcare_support_worker', 'healthcare_science', 'medicine', 'midwifery', 'management', 'nursing', 'pharmacy', 'psychological_professions', 'public_health', 'wider_healthcare_team')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    daily_start TEXT NOT NULL,
    daily_end TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 1),
    min_age SMALLINT,
    max_age SMALLINT,
    -- JSON array of user group codes; NULL means every group may apply.
    eligible_user_groups TEXT,
    -- JSON array of postcode districts; NULL means no catchment area.
    catchment TEXT,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    outcome_by DATE NOT NULL,
    selection_method TEXT NOT NULL CHECK (selection_method IN ('lottery', 'name_blind_review')),
    -- JSON array of priority rule codes, in order.
    priority_rules TEXT NOT NULL,
    -- JSON object of the preparation fields.
    preparation TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed', 'allocated', 'completed', 'cancelled')),
    draw_commitment TEXT,
    cancellation_reason TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    CHECK (opens_at < closes_at),
    CHECK (end_date >= start_date)
);
CREATE INDEX placements_status_closes_at ON placements (status, closes_at, id);
CREATE INDEX placements_organisation_id ON placements (organisation_id, closes_at, id);
CREATE INDEX placements_site_id ON placements (site_id);
CREATE INDEX placements_department_id ON placements (department_id);

-- The secret seed of each published placement's draw, apart from the placement so that no query of
-- placements can return it.
CREATE TABLE draw_secrets (
    placement_id TEXT PRIMARY KEY NOT NULL REFERENCES placements (id),
    seed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE idempotency_keys (
    subject TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER,
    response_body TEXT,
    location TEXT,
    etag TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subject, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
