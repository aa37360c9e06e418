-- Offers and the outcome of each application: when it was given (for timeliness reports) and its
-- tier and position in the draw. Same SQL on both backends.

-- How many days applicants have to answer an offer (1 to 30).
ALTER TABLE placements ADD COLUMN offer_response_days SMALLINT NOT NULL DEFAULT 5;
ALTER TABLE applications ADD COLUMN outcome_at TIMESTAMP;
ALTER TABLE applications ADD COLUMN draw_tier INTEGER;
ALTER TABLE applications ADD COLUMN draw_position INTEGER;
CREATE INDEX applications_waiting ON applications (placement_id, status, draw_position);

CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications (id),
    placement_id TEXT NOT NULL REFERENCES placements (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'expired', 'cancelled')),
    respond_by TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    responded_at TIMESTAMP,
    version BIGINT NOT NULL,
    -- An application is offered a place at most once.
    UNIQUE (application_id)
);
CREATE INDEX offers_placement_status ON offers (placement_id, status);
CREATE INDEX offers_status_respond_by ON offers (status, respond_by);
