-- Segment definitions. A definition is the JSON document the API accepted; every edit bumps version and
-- starts a background build of the new version's membership.
CREATE TABLE segments (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    version INTEGER NOT NULL,
    -- building: the build is computing members from the log up to build_through; ready: grains keep it current
    status TEXT NOT NULL,
    -- The build counts events up to this log sequence; grains count the ones after it (ADR 0007).
    build_through INTEGER NOT NULL,
    build_phase TEXT NOT NULL,
    build_done INTEGER NOT NULL DEFAULT 0,
    build_total INTEGER NOT NULL DEFAULT 0,
    -- A resumable build's saved scan state (tallies so far), so a restart continues instead of starting over.
    build_checkpoint BLOB,
    build_started_at INTEGER,
    build_finished_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX segments_by_workspace ON segments (workspace_id);

-- One row per profile that ever entered a segment; member = 0 keeps the exit time and the number of changes,
-- which names the Segment Entered/Exited events so that a replay cannot log a change twice.
CREATE TABLE segment_members (
    segment_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    member INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    changes INTEGER NOT NULL,
    PRIMARY KEY (segment_id, profile_id)
) WITHOUT ROWID;
CREATE INDEX segment_members_by_profile ON segment_members (profile_id);

-- Per profile and event condition: the matching events still able to count. built is written by the
-- background build (events up to the segment's build_through), live by the profile's grain (the events after).
CREATE TABLE condition_tallies (
    profile_id TEXT NOT NULL,
    tally_key TEXT NOT NULL,
    built TEXT,
    live TEXT,
    PRIMARY KEY (profile_id, tally_key)
) WITHOUT ROWID;

-- Every future wake-up of a profile (segment "valid until" moments now, flow waits later).
CREATE TABLE timers (
    profile_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    timer_key TEXT NOT NULL,
    partition INTEGER NOT NULL,
    due INTEGER NOT NULL,
    PRIMARY KEY (profile_id, kind, timer_key)
) WITHOUT ROWID;
-- One process owns every partition today, so due rows are found by time alone.
CREATE INDEX timers_by_due ON timers (due);
