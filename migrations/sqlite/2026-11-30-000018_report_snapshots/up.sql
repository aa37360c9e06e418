-- Reports frozen at the draw (issue 13, item 3). When a placement is drawn, what reports group its
-- applications by is copied here, one row per application: the applicant's user groups and
-- care-experienced answer, and their equality answers. Reports read these for a frozen application
-- and the profile's current values for the others, so a person who later changes or deletes their
-- answers, or is erased, leaves the counts of drawn placements as they were. No names, contact
-- details or dates of birth: the age at applying stays on the application (`applicant_age`).
-- The same SQL on both backends except the lines marked per-backend (a test checks it).
CREATE TABLE report_characteristics (
    application_id TEXT PRIMARY KEY NOT NULL REFERENCES applications (id),
    user_groups TEXT NOT NULL,
    care_experienced BOOLEAN,
    frozen_at TIMESTAMP NOT NULL
);

-- The equality answers held when the application was frozen. A frozen application with no row for
-- a question was not answered then, whatever the profile says now.
CREATE TABLE report_answers (
    application_id TEXT NOT NULL REFERENCES applications (id),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (application_id, question)
);

-- Backfill: every application already past the draw (its placement drawn, or itself drawn or
-- further) is frozen from the values held now. For these older rows that is the best available:
-- what a person changed between the draw and this migration cannot be recovered. Answers first, as
-- the store does, so that they are copied only for applications not yet frozen.
INSERT INTO report_answers (application_id, question, answer)
    SELECT a.id, e.question, e.answer FROM applications a JOIN equality_answers e ON e.profile_id = a.profile_id
    WHERE a.draw_position IS NOT NULL OR a.stage_reached >= 1
        OR EXISTS (SELECT 1 FROM draws d WHERE d.placement_id = a.placement_id);
INSERT INTO report_characteristics (application_id, user_groups, care_experienced, frozen_at)
    SELECT a.id, pr.user_groups, pr.care_experienced,
        CURRENT_TIMESTAMP -- per-backend: SQLite's is UTC
    FROM applications a JOIN applicant_profiles pr ON pr.id = a.profile_id
    WHERE a.draw_position IS NOT NULL OR a.stage_reached >= 1
        OR EXISTS (SELECT 1 FROM draws d WHERE d.placement_id = a.placement_id);
