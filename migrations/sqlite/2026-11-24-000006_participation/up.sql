-- After the offer: hosts named for placements, the audit log of every reveal of a participant's
-- identity, completion certificates, and participants' and hosts' feedback. Same SQL on both backends.

-- For name-blind review placements: whether a coordinator judged the application to meet the
-- criteria (NULL until reviewed).
ALTER TABLE applications ADD COLUMN meets_criteria BOOLEAN;

CREATE TABLE placement_hosts (
    placement_id TEXT NOT NULL REFERENCES placements (id),
    subject TEXT NOT NULL,
    named_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (placement_id, subject)
);
CREATE INDEX placement_hosts_subject ON placement_hosts (subject);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_subject TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

CREATE TABLE certificates (
    code TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    placement_id TEXT NOT NULL REFERENCES placements (id),
    initials TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL
);

CREATE TABLE participant_feedback (
    application_id TEXT PRIMARY KEY NOT NULL REFERENCES applications (id),
    more_likely TEXT NOT NULL,
    -- JSON object of statement code to agreement code.
    agreement TEXT NOT NULL,
    comments TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE host_feedback (
    placement_id TEXT NOT NULL REFERENCES placements (id),
    subject TEXT NOT NULL,
    would_host_again BOOLEAN NOT NULL,
    felt_recognised TEXT NOT NULL,
    comments TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (placement_id, subject)
);
