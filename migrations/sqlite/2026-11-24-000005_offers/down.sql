DROP TABLE offers;
DROP INDEX applications_waiting;
ALTER TABLE applications DROP COLUMN draw_position;
ALTER TABLE applications DROP COLUMN draw_tier;
ALTER TABLE applications DROP COLUMN outcome_at;
ALTER TABLE placements DROP COLUMN offer_response_days;
