-- Reports: grouped queries need answers as rows and each application's furthest stage.
-- The same SQL on both backends except the lines marked per-backend (a test checks it): copying the
-- JSON answers, computing ages and WITHOUT ROWID.
-- Equality answers one row per question, so reports can count them with grouped queries.
CREATE TABLE equality_answers (
    profile_id TEXT NOT NULL REFERENCES equality_responses (profile_id),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (profile_id, question)
); -- per-backend: SQLite adds WITHOUT ROWID
INSERT INTO equality_answers (profile_id, question, answer)
    SELECT r.profile_id, j.key, j.value FROM equality_responses r, jsonb_each_text(r.answers::jsonb) j; -- per-backend
ALTER TABLE equality_responses DROP COLUMN answers;
-- When an advocate answered for the applicant: who, and the consent they recorded.
ALTER TABLE equality_responses ADD COLUMN recorded_by TEXT;
ALTER TABLE equality_responses ADD COLUMN consent_given_by TEXT;
ALTER TABLE equality_responses ADD COLUMN consent_giver_name TEXT;

-- The furthest stage of the selection funnel an application reached (0 applied, 1 entered the
-- draw, 2 offered, 3 accepted, 4 attended, 5 completed), and the applicant's age when applying:
-- reports group by these instead of replaying each application's history.
ALTER TABLE applications ADD COLUMN stage_reached SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN applicant_age SMALLINT NOT NULL DEFAULT 0;
UPDATE applications SET stage_reached = CASE
    WHEN status = 'completed' THEN 5
    WHEN status = 'attended' THEN 4
    WHEN status IN ('accepted', 'did_not_attend') THEN 3
    WHEN status IN ('offered', 'declined', 'expired') THEN 2
    WHEN status IN ('waitlisted', 'not_selected') OR draw_position IS NOT NULL THEN 1
    ELSE 0 END;
UPDATE applications SET stage_reached = 3 WHERE status = 'cancelled' AND EXISTS
    (SELECT 1 FROM application_events e WHERE e.application_id = applications.id AND e.to_status = 'accepted');
UPDATE applications SET stage_reached = 2 WHERE status = 'cancelled' AND stage_reached < 2 AND EXISTS
    (SELECT 1 FROM application_events e WHERE e.application_id = applications.id AND e.to_status = 'offered');
UPDATE applications SET applicant_age = (SELECT
    date_part('year', age(CAST(applications.created_at AS DATE), p.date_of_birth)) -- per-backend
    FROM applicant_profiles p WHERE p.id = applications.profile_id);
CREATE INDEX applications_created_at ON applications (created_at);

-- Whether the participant said they completed a pre-placement e-learning module (Appendix B).
ALTER TABLE participant_feedback ADD COLUMN completed_pre_module BOOLEAN;
