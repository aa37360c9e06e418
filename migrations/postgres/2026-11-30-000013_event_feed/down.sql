DROP INDEX events_application;
DROP INDEX events_feed;
ALTER TABLE events DROP COLUMN application_id;
ALTER TABLE events DROP COLUMN placement_id;
