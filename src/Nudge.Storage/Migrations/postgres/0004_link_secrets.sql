-- The HMAC secret that signs a workspace's links (opt-in confirmations, preference centers, unsubscribes).
ALTER TABLE workspaces ADD COLUMN link_secret TEXT;
