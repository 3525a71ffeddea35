-- Addresses no send may reach, per channel (ADR 0009). The delivery policy asks before every send, by primary
-- key: addresses are stored normalized (lower-case email, E.164 phone, push endpoint URL).
-- Byte order ("C"), as in SQLite: pages follow the same order on both, whatever the database's locale.
CREATE TABLE suppressions (
    workspace_id TEXT NOT NULL,
    channel TEXT COLLATE "C" NOT NULL,
    address TEXT COLLATE "C" NOT NULL,
    -- hard_bounce, complaint, manual or unsubscribe
    reason TEXT NOT NULL,
    -- Who added it: admin, import, a bounce handler, ...
    source TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, channel, address)
);
