-- Organisation API clients: each acts for one organisation with the scopes it was granted, and
-- proves itself with a JWT signed by one of its public keys (a JWKS document). Each assertion's
-- jti is kept until the assertion expires, so that none is used twice. Events and audit entries
-- made by a client name it and the person in its own system it acted for. The same SQL on both
-- backends (a test checks it).
CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    -- Scope codes, space-separated.
    scopes TEXT NOT NULL,
    jwks TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_clients_organisation ON api_clients (organisation_id, id);

CREATE TABLE client_assertions (
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    jti TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertions_expiry ON client_assertions (expires_at);

ALTER TABLE events ADD COLUMN client_id TEXT;
ALTER TABLE events ADD COLUMN attribution TEXT;
ALTER TABLE audit_log ADD COLUMN client_id TEXT;
ALTER TABLE audit_log ADD COLUMN attribution TEXT;
