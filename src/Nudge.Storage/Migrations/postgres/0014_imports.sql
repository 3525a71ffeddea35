-- History imports (ADR 0017): one row per imported file, with its checkpoint (the byte offset and line where
-- the next unread row starts, and the log sequence the last committed batch reached), so an interrupted import
-- continues where it stopped, and a file imported before is recognised by its fingerprint.
CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    mapping TEXT NOT NULL,
    file_path TEXT,
    status TEXT NOT NULL,
    total_bytes BIGINT NOT NULL,
    next_offset BIGINT NOT NULL,
    next_line BIGINT NOT NULL,
    header TEXT,
    last_seq BIGINT NOT NULL,
    rows_imported BIGINT NOT NULL,
    rows_skipped BIGINT NOT NULL,
    rows_failed BIGINT NOT NULL,
    errors TEXT NOT NULL,
    message TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE UNIQUE INDEX imports_by_fingerprint ON imports (workspace_id, fingerprint);
