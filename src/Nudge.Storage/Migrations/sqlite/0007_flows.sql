-- Flows (issue #5, ADR 0010). A flow has numbered versions; editing a live flow adds a version. New runs start
-- on live_version; runs keep the version they started on unless an edit chose to move them (move_runs).
CREATE TABLE flows (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    live_version INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX flows_by_workspace ON flows (workspace_id);

CREATE TABLE flow_versions (
    flow_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    move_runs INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (flow_id, version)
);

-- One row per run, written by the profile's grain in the same transaction as the run's outbox rows, history and
-- timer. The run id is derived from the flow and the trigger, so a replayed trigger finds its run.
CREATE TABLE flow_runs (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    flow_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    profile_id TEXT NOT NULL,
    status TEXT NOT NULL,
    step TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_reason TEXT,
    trigger_event TEXT NOT NULL,
    wait_due INTEGER,
    wait_for_event INTEGER NOT NULL,
    steps_taken INTEGER NOT NULL
);
CREATE INDEX flow_runs_by_profile ON flow_runs (profile_id, flow_id);
CREATE INDEX flow_runs_by_flow ON flow_runs (flow_id, started_at);

-- A run's path: every step entered or left, with its outcome.
CREATE TABLE flow_run_steps (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    flow_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX flow_run_steps_by_flow ON flow_run_steps (flow_id, step_id);

-- Messages a flow step asks for wait in the outbox as 'queued' until delivery renders and checks them.
ALTER TABLE outbox ADD COLUMN template_id TEXT;
ALTER TABLE outbox ADD COLUMN flow_id TEXT;
ALTER TABLE outbox ADD COLUMN run_id TEXT;
ALTER TABLE outbox ADD COLUMN step_id TEXT;
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN transactional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN smart_sending_ms INTEGER;
CREATE INDEX outbox_by_run ON outbox (run_id);
