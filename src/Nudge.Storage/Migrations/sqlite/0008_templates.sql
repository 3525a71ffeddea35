-- Message templates (email, SMS, push) and the layouts and partials they share. Every save is a new version;
-- a send names the exact version it rendered. parts is the JSON object of Liquid sources (subject, preheader,
-- html, text, body).
CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    -- email, sms, push, layout or partial
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    parts TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
-- Templates render partials and layouts by name, so a name is unique among a workspace's live templates.
CREATE UNIQUE INDEX templates_by_name ON templates (workspace_id, name) WHERE deleted = 0;

CREATE TABLE template_versions (
    template_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    parts TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (template_id, version)
);
