-- Rotating a webhook endpoint's secret: the secret a rotation replaced, and until when deliveries
-- are signed with it as well as with the new one (a day after the rotation). Both empty until the
-- first rotation. The same SQL on both backends.
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret TEXT;
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_until TIMESTAMP;
