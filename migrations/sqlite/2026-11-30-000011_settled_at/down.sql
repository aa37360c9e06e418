DROP INDEX notifications_profile_settled;
ALTER TABLE notifications DROP COLUMN settled_at;
