-- Readiness (issue 14): what a placement requires before someone may start, and each accepted
-- place's checklist. The same SQL on both backends.

-- A placement's requirements, as JSON {kinds: [code], induction_url, custom: [{text, why_we_ask}]}.
-- Existing placements require nothing beyond what the law asks of under-16s (consent and an
-- emergency contact), which the domain always adds.
ALTER TABLE placements ADD COLUMN requirements TEXT NOT NULL DEFAULT '{"kinds":[],"induction_url":null,"custom":[]}';

-- The latest thing done to each item of an application's checklist. The contact's or
-- consent-giver's name, relationship and phone are the minimum collected; the override reason is
-- a coordinator's words.
CREATE TABLE readiness_items (
    application_id TEXT NOT NULL REFERENCES applications (id),
    -- A requirement kind code, or custom_{n} for the placement's own.
    item TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'not_cleared', 'overridden')),
    by_subject TEXT NOT NULL,
    by_role TEXT NOT NULL CHECK (by_role IN ('applicant', 'advocate', 'coordinator')),
    at TIMESTAMP NOT NULL,
    person_name TEXT,
    relationship TEXT,
    phone TEXT,
    override_reason TEXT,
    PRIMARY KEY (application_id, item)
);
