-- T-level industry placements on an accepted place (keyed by its application): the three-way
-- agreement, the supervisor's daily hours logs, the mid-point and end reviews, and the hours a
-- completion certificate states. Same SQL on both backends.

CREATE TABLE t_level_agreements (
    application_id TEXT PRIMARY KEY NOT NULL REFERENCES applications (id),
    placement_id TEXT NOT NULL REFERENCES placements (id),
    profile_id TEXT NOT NULL REFERENCES applicant_profiles (id),
    objectives TEXT NOT NULL,
    pattern TEXT NOT NULL CHECK (pattern IN ('block', 'day_release', 'mixed')),
    supervisor TEXT NOT NULL,
    planned_hours INTEGER NOT NULL CHECK (planned_hours > 0),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    employer_confirmed_at TIMESTAMP,
    provider_confirmed_at TIMESTAMP,
    student_confirmed_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (start_date <= end_date)
);
CREATE INDEX t_level_agreements_profile ON t_level_agreements (profile_id);
CREATE INDEX t_level_agreements_placement ON t_level_agreements (placement_id);

-- One entry a day per place, in quarter hours; a correction replaces it (same id, next version).
CREATE TABLE t_level_hours (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES t_level_agreements (application_id),
    profile_id TEXT NOT NULL REFERENCES applicant_profiles (id),
    day DATE NOT NULL,
    quarter_hours INTEGER NOT NULL CHECK (quarter_hours > 0 AND quarter_hours <= 96),
    logged_by TEXT NOT NULL,
    logged_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (application_id, day)
);
CREATE INDEX t_level_hours_profile ON t_level_hours (profile_id, day);

CREATE TABLE t_level_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES t_level_agreements (application_id),
    stage TEXT NOT NULL CHECK (stage IN ('mid_point', 'end')),
    on_track BOOLEAN NOT NULL,
    comments TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    reviewed_at TIMESTAMP NOT NULL,
    reflection TEXT,
    reflected_at TIMESTAMP,
    version BIGINT NOT NULL,
    UNIQUE (application_id, stage)
);

-- The hours logged for a completed T-level place, in quarter hours (NULL for other placements).
ALTER TABLE certificates ADD COLUMN t_level_quarter_hours INTEGER;
