ALTER TABLE audit_log DROP COLUMN attribution;
ALTER TABLE audit_log DROP COLUMN client_id;
ALTER TABLE events DROP COLUMN attribution;
ALTER TABLE events DROP COLUMN client_id;
DROP TABLE client_assertions;
DROP TABLE api_clients;
