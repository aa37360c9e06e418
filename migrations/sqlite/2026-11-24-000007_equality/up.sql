-- Equality monitoring answers, in a table of their own: only the applicant's own endpoint reads
-- an individual's answers; reports read them only to count. Same SQL on both backends.
CREATE TABLE equality_responses (
    profile_id TEXT PRIMARY KEY NOT NULL REFERENCES applicant_profiles (id),
    -- JSON object of question code to answer code.
    answers TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
