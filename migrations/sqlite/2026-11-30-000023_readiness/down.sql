DROP TABLE readiness_items;
ALTER TABLE placements DROP COLUMN requirements;
