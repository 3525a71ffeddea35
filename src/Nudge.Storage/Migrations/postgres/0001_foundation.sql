CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    default_region TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    kind TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    label TEXT,
    created_at BIGINT NOT NULL
);

-- The event log; seq grows with every append.
-- De-duplication on message_id is done by the writer in memory (ADR 0003) and
-- enforced by a unique index as well, because several writers may share one PostgreSQL.
CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    partition BIGINT NOT NULL,
    type BIGINT NOT NULL,
    name TEXT,
    timestamp BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    key_kind BIGINT NOT NULL,
    body TEXT NOT NULL,
    identity TEXT
);
CREATE UNIQUE INDEX events_message_id ON events (workspace_id, message_id);
CREATE INDEX events_by_partition ON events (partition, seq);
CREATE INDEX events_by_profile ON events (profile_id, seq);

CREATE TABLE identities (
    workspace_id TEXT NOT NULL,
    kind BIGINT NOT NULL,
    value TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    verified BIGINT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, kind, value)
);
CREATE INDEX identities_by_profile ON identities (profile_id);

CREATE TABLE profile_merges (
    absorbed_id TEXT PRIMARY KEY,
    survivor_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX profile_merges_by_survivor ON profile_merges (survivor_id);

CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    state TEXT NOT NULL,
    search_text TEXT NOT NULL,
    last_seen BIGINT,
    erased BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX profiles_by_workspace ON profiles (workspace_id, last_seen);

CREATE TABLE partition_cursors (
    partition BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL
);

CREATE TABLE erasures (
    workspace_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    erased_at BIGINT NOT NULL,
    events_deleted BIGINT NOT NULL
);
