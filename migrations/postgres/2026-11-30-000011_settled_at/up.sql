-- When a message reached a final state (sent, delivered or failed), so that the latest one to an
-- applicant's own address can say whether their address works, and since when.
-- The same SQL on both backends (a test checks it).
ALTER TABLE notifications ADD COLUMN settled_at TIMESTAMP;
-- Messages settled before this column existed: the best time known.
UPDATE notifications SET settled_at = COALESCE(delivered_at, created_at) WHERE status <> 'pending';
CREATE INDEX notifications_profile_settled ON notifications (profile_id, settled_at);
