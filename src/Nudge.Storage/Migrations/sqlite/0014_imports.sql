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
    total_bytes INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    next_line INTEGER NOT NULL,
    header TEXT,
    last_seq INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_skipped INTEGER NOT NULL,
    rows_failed INTEGER NOT NULL,
    errors TEXT NOT NULL,
    message TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE UNIQUE INDEX imports_by_fingerprint ON imports (workspace_id, fingerprint);
