-- Web Push (ADR 0013). One row per browser subscription: the push service's endpoint URL is unique to one
-- browser and one application server key, so it is the key. p256dh and auth are the browser's keys in base64url.
CREATE TABLE push_subscriptions (
    endpoint TEXT COLLATE "C" PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    user_agent TEXT,
    created_at BIGINT NOT NULL,
    -- When a push service last accepted a message for it (NULL: never sent yet)
    last_success_at BIGINT
);
CREATE INDEX push_subscriptions_by_profile ON push_subscriptions (workspace_id, profile_id);

-- The VAPID key pair of each workspace (RFC 8292), made on first use. The private key never leaves the server.
CREATE TABLE push_vapid_keys (
    workspace_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
