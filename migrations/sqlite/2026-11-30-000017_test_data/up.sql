-- Sandbox test data: each batch POST /v1/sandbox/test-data made, and the organisations and
-- applicant profiles it made. Everything else a batch made (sites, departments, grants, placements,
-- applications, messages, events) hangs off those, so deleting a batch finds it from here. A
-- deleted batch keeps its row, with deleted_at, so that deleting it again is harmless.
-- The same SQL on both backends (a test checks it).
CREATE TABLE test_data_batches (
    id TEXT PRIMARY KEY NOT NULL,
    seed BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);

CREATE TABLE test_data_items (
    batch_id TEXT NOT NULL REFERENCES test_data_batches (id),
    entity TEXT NOT NULL CHECK (entity IN ('organisation', 'profile')),
    entity_id TEXT NOT NULL,
    PRIMARY KEY (batch_id, entity, entity_id)
);
