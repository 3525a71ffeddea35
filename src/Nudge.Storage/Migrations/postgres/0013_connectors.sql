-- Shop connectors (ADR 0016): one row per shop whose webhooks Nudge receives. The secret checks the shop's
-- signatures; the admin access token lets Nudge call the shop back (e.g. to create coupon codes in Shopify).
CREATE TABLE connectors (
    id TEXT COLLATE "C" PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    shop_domain TEXT NOT NULL,
    secret TEXT NOT NULL,
    admin_access_token TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX connectors_by_workspace ON connectors (workspace_id, created_at);

-- Every webhook delivery as it arrived, written before the shop gets its 200 and processed afterwards by the
-- connector worker. delivery_key is the shop's own delivery id (or a hash of the body), unique per connector:
-- a delivery the shop sends again is the same row.
-- status: pending (waiting, or waiting for a retry at next_attempt_at), processing (claimed until claimed_until),
-- processed, ignored (a topic Nudge does not map), failed (gave up; error says why).
CREATE TABLE connector_deliveries (
    id TEXT COLLATE "C" PRIMARY KEY,
    connector_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    delivery_key TEXT NOT NULL,
    topic TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    finished_at BIGINT,
    events INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    UNIQUE (connector_id, delivery_key)
);
CREATE INDEX connector_deliveries_due ON connector_deliveries (status, next_attempt_at);
CREATE INDEX connector_deliveries_by_connector ON connector_deliveries (connector_id, received_at);

-- The message ids a connector has appended to the event log, kept for good: the log forgets ids after its
-- de-duplication window, but a shop may send an order again weeks later (an update, a re-registered webhook).
CREATE TABLE connector_event_ids (
    connector_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (connector_id, message_id)
);
