CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    default_region TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    kind TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    label TEXT,
    created_at INTEGER NOT NULL
);

-- The event log. seq is the rowid: appends go to the end of the table, never into the middle.
-- De-duplication on message_id is done by the single writer in memory, and timelines are read along
-- the partition index, so there is deliberately no index on message_id or profile_id (ADR 0003):
-- each would dirty a random page per append.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    partition INTEGER NOT NULL,
    type INTEGER NOT NULL,
    name TEXT,
    timestamp INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    key_kind INTEGER NOT NULL,
    body TEXT NOT NULL,
    identity TEXT
);
CREATE INDEX events_by_partition ON events (partition, seq);

CREATE TABLE identities (
    workspace_id TEXT NOT NULL,
    kind INTEGER NOT NULL,
    value TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    verified INTEGER NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX identities_by_profile ON identities (profile_id);

CREATE TABLE profile_merges (
    absorbed_id TEXT PRIMARY KEY,
    survivor_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX profile_merges_by_survivor ON profile_merges (survivor_id);

CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    state TEXT NOT NULL,
    search_text TEXT NOT NULL,
    last_seen INTEGER,
    erased INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX profiles_by_workspace ON profiles (workspace_id, last_seen);

CREATE TABLE partition_cursors (
    partition INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
);

CREATE TABLE erasures (
    workspace_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    erased_at INTEGER NOT NULL,
    events_deleted INTEGER NOT NULL
);
