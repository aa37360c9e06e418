-- The change feed: each event's placement and application (ids only), so that a reader's scope
-- (an organisation's placements, an applicant's own applications) is a join, and the feed's
-- order, (txid, seq), has an index. Earlier events are filled in from the rows they concern.
-- The same SQL on both backends (a test checks it).
ALTER TABLE events ADD COLUMN placement_id TEXT;
ALTER TABLE events ADD COLUMN application_id TEXT;
UPDATE events SET placement_id = entity_id WHERE entity = 'placement';
UPDATE events SET application_id = entity_id WHERE entity = 'application';
UPDATE events SET placement_id = (SELECT applications.placement_id FROM applications WHERE applications.id = events.entity_id)
    WHERE entity = 'application';
UPDATE events SET application_id = (SELECT offers.application_id FROM offers WHERE offers.id = events.entity_id),
    placement_id = (SELECT offers.placement_id FROM offers WHERE offers.id = events.entity_id)
    WHERE entity = 'offer';
CREATE INDEX events_feed ON events (txid, seq);
CREATE INDEX events_application ON events (application_id, seq);
