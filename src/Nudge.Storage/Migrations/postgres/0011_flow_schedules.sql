-- Scheduled flows (ADR 0010): the last occurrence each flow fired (or skipped), so a restart neither fires an
-- occurrence twice nor loses one.
CREATE TABLE flow_schedules (
    flow_id TEXT PRIMARY KEY,
    last_occurrence BIGINT NOT NULL
);
