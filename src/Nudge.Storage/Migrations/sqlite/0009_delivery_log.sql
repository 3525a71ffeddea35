-- Delivery (ADR 0012). A delivery worker claims due rows by setting status 'sending' and a lease (claimed_until);
-- a row still 'sending' after its lease ran out was claimed by a worker that stopped before it recorded the outcome.
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
-- The provider's id of an accepted message (SMTP queue id, API message id) and its last reply, for the delivery log.
ALTER TABLE outbox ADD COLUMN provider_message_id TEXT;
ALTER TABLE outbox ADD COLUMN provider_reply TEXT;
CREATE INDEX outbox_by_profile ON outbox (workspace_id, profile_id, id);

-- The status history of each message: queued, sent, deferred, bounced, failed, skipped, unrecorded, ... with time
-- and the provider's words. Append-only.
CREATE TABLE message_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    status TEXT NOT NULL,
    at INTEGER NOT NULL,
    detail TEXT
);
CREATE INDEX message_events_by_message ON message_events (outbox_id, id);

-- Messages written before the log existed start their history when they were queued.
INSERT INTO message_events (outbox_id, workspace_id, status, at) SELECT id, workspace_id, 'queued', created_at FROM outbox;
