-- Advocates: careers leaders and support workers who act for applicants who linked them, or who
-- manage a profile for someone without an account (with the consent recorded), and the supporting
-- information they add to applications. Same SQL on both backends.

ALTER TABLE applicant_profiles ADD COLUMN consent_given_by TEXT;
ALTER TABLE applicant_profiles ADD COLUMN consent_giver_name TEXT;

CREATE TABLE advocate_links (
    id TEXT PRIMARY KEY NOT NULL,
    profile_id TEXT NOT NULL REFERENCES applicant_profiles (id),
    -- Where the invitation went; NULL for the link of a profile the advocate manages.
    advocate_email TEXT,
    -- Set when the advocate accepts.
    advocate_subject TEXT,
    relationship TEXT NOT NULL CHECK (relationship IN ('careers_leader', 'support_worker', 'personal_adviser', 'probation_officer', 'caseworker', 't_level_coordinator', 'other')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'revoked')),
    -- SHA-256 (hex) of the invitation code sent to the advocate; the code itself is not stored.
    code_hash TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX advocate_links_profile_id ON advocate_links (profile_id, id);
CREATE INDEX advocate_links_advocate_subject ON advocate_links (advocate_subject, status);

CREATE TABLE supporting_information (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications (id),
    author_subject TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX supporting_information_application_id ON supporting_information (application_id, id);
