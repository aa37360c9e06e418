-- Applicants and their applications: profiles (own or managed by an advocate), applications with
-- their lottery tickets, status history, and the notification outbox. Same SQL on both backends.

-- A placement's own questions, as a JSON array of {text, why_we_ask, required, max_length}.
ALTER TABLE placements ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';

CREATE TABLE applicant_profiles (
    id TEXT PRIMARY KEY NOT NULL,
    -- The identity provider's subject of the person, for their own profile.
    subject TEXT UNIQUE,
    -- The advocate who manages the profile for someone without an account.
    managed_by TEXT,
    preferred_name TEXT,
    email TEXT NOT NULL,
    phone TEXT,
    date_of_birth DATE NOT NULL,
    postcode TEXT,
    no_fixed_address BOOLEAN NOT NULL,
    -- JSON array of user group codes.
    user_groups TEXT NOT NULL,
    care_experienced BOOLEAN,
    adjustments TEXT,
    preferred_language TEXT,
    support_worker_name TEXT,
    support_worker_email TEXT,
    support_worker_organisation TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (subject IS NOT NULL OR managed_by IS NOT NULL),
    CHECK ((postcode IS NULL) = no_fixed_address)
);
CREATE INDEX applicant_profiles_managed_by ON applicant_profiles (managed_by);

CREATE TABLE applications (
    id TEXT PRIMARY KEY NOT NULL,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    profile_id TEXT NOT NULL REFERENCES applicant_profiles (id),
    -- The whole lifecycle is listed so that later stages need no table rebuild on SQLite.
    status TEXT NOT NULL CHECK (status IN ('submitted', 'withdrawn', 'entered', 'not_entered', 'offered', 'waitlisted', 'accepted', 'declined', 'expired', 'not_selected', 'attended', 'did_not_attend', 'completed', 'cancelled')),
    ticket TEXT NOT NULL UNIQUE,
    privacy_notice_version TEXT NOT NULL,
    submitted_by_subject TEXT NOT NULL,
    submitted_by_role TEXT NOT NULL CHECK (submitted_by_role IN ('applicant', 'advocate')),
    -- JSON array of {question, answer}.
    answers TEXT NOT NULL,
    can_travel BOOLEAN,
    in_catchment BOOLEAN,
    outcome_expected_by DATE NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- One application per person per placement; concurrent duplicates fail here.
    UNIQUE (placement_id, profile_id)
);
CREATE INDEX applications_profile_id ON applications (profile_id, id);
CREATE INDEX applications_placement_id_id ON applications (placement_id, id);

CREATE TABLE application_events (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications (id),
    at TIMESTAMP NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_subject TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX application_events_application_id ON application_events (application_id, id);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    application_id TEXT REFERENCES applications (id),
    created_at TIMESTAMP NOT NULL,
    -- Set by the delivery worker.
    delivered_at TIMESTAMP
);
CREATE INDEX notifications_application_id ON notifications (application_id);
CREATE INDEX notifications_undelivered ON notifications (delivered_at, id);
