-- Tracking and feedback (ADR 0019). The template version a message was rendered from, for the delivery log.
ALTER TABLE outbox ADD COLUMN template_version BIGINT;
-- The hex part of the message's Message-ID (first 128 bits of SHA-256 of the message key), also sent as X-Nudge-Ref:
-- bounces and complaints quote it, and it finds the message they are about. Rows written before this migration have none.
ALTER TABLE outbox ADD COLUMN message_ref TEXT;
CREATE INDEX outbox_by_message_ref ON outbox (message_ref);
-- Provider webhooks (Postmark) name the message by the provider's id.
CREATE INDEX outbox_by_provider_message_id ON outbox (provider_message_id);

-- Every bounce Nudge was told of, per address: soft bounces suppress an address after a number within a window.
CREATE TABLE email_bounces (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    address TEXT NOT NULL,
    -- hard or soft
    kind TEXT NOT NULL,
    -- The message it is about, when it was found
    outbox_id TEXT,
    at BIGINT NOT NULL,
    -- The status code and diagnostic
    detail TEXT
);
CREATE INDEX email_bounces_by_address ON email_bounces (workspace_id, address, at);

-- Open and click tracking per workspace; a workspace without a row tracks both.
CREATE TABLE tracking_settings (
    workspace_id TEXT PRIMARY KEY,
    opens BIGINT NOT NULL,
    clicks BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
