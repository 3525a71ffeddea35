-- Addresses no send may reach, per channel (ADR 0009). The delivery policy asks before every send, by primary
-- key: addresses are stored normalized (lower-case email, E.164 phone, push endpoint URL).
CREATE TABLE suppressions (
    workspace_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    -- hard_bounce, complaint, manual or unsubscribe
    reason TEXT NOT NULL,
    -- Who added it: admin, import, a bounce handler, ...
    source TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, channel, address)
) WITHOUT ROWID;
