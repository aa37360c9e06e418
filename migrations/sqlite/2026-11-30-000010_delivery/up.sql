-- Delivering the outbox: each message's state, its attempts, leases that keep two workers from
-- sending one message, reminders sent once, and the sandbox clock every process reads.
-- The same SQL on both backends (a test checks it).
ALTER TABLE notifications ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE notifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN next_attempt_at TIMESTAMP;
-- A worker's lease: until lease_until no other worker takes the message.
ALTER TABLE notifications ADD COLUMN lease_token TEXT;
ALTER TABLE notifications ADD COLUMN lease_until TIMESTAMP;
-- Why it failed (a code and a status, never personal data).
ALTER TABLE notifications ADD COLUMN failure TEXT;
-- A path in the front end the message links to, such as /applications/{id}.
ALTER TABLE notifications ADD COLUMN link TEXT;
-- The applicant whose own address this is, so that an address that fails can be flagged to them.
ALTER TABLE notifications ADD COLUMN profile_id TEXT REFERENCES applicant_profiles (id);
UPDATE notifications SET next_attempt_at = created_at;
DROP INDEX notifications_undelivered;
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_profile ON notifications (profile_id, created_at);

CREATE TABLE delivery_attempts (
    notification_id TEXT NOT NULL REFERENCES notifications (id),
    number INTEGER NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    transport TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (notification_id, number)
);

-- One row per reminder sent: its kind and what it reminds of (an application or an offer), so
-- that it is sent once however many schedulers run.
CREATE TABLE reminders (
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, subject_id)
);

-- The sandbox clock's offset from real time, one row, shared by every process on the database.
CREATE TABLE service_clock (
    id BIGINT PRIMARY KEY NOT NULL,
    offset_micros BIGINT NOT NULL
);
