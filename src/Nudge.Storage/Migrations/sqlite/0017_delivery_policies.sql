-- Delivery policy settings per workspace (ADR 0020); a workspace without a row uses the defaults.
CREATE TABLE delivery_policies (
    workspace_id TEXT PRIMARY KEY,
    -- The settings document as docs/delivery-policy.md describes it (the API's shape, without version and updatedAt)
    settings TEXT NOT NULL,
    -- 1 for the first settings saved, one more with each change; a PUT naming an older version is refused
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
