-- Draws: one per placement (the primary key makes a draw happen once, however many processes try),
-- with its revealed seed and every entry's ticket, tier, position and outcome. Same SQL on both
-- backends.

CREATE TABLE draws (
    placement_id TEXT PRIMARY KEY NOT NULL REFERENCES placements (id),
    algorithm TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    -- JSON array of priority rule codes, as they were at the draw.
    priority_rules TEXT NOT NULL,
    commitment TEXT NOT NULL,
    seed TEXT NOT NULL,
    entries_digest TEXT NOT NULL,
    drawn_at TIMESTAMP NOT NULL
);

CREATE TABLE draw_entries (
    placement_id TEXT NOT NULL REFERENCES draws (placement_id),
    position INTEGER NOT NULL,
    ticket TEXT NOT NULL,
    tier INTEGER NOT NULL,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('offered', 'waitlisted')),
    PRIMARY KEY (placement_id, position)
);
