-- The address of an organisation's work experience team, where the service emails the team. Its own
-- table: it is not part of the public organisation, and replacing an organisation keeps it.
-- The same SQL on both backends (a test checks it).
CREATE TABLE team_contacts (
    organisation_id TEXT PRIMARY KEY NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
