-- Static lists (ADR 0008). Membership itself is event-sourced (List Joined / List Left in the log); list_members
-- is the grains' saved view of it, for paging and counting.
CREATE TABLE lists (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    -- 1: the public signup form sends a confirmation email; only the confirmed click joins the list
    double_opt_in INTEGER NOT NULL DEFAULT 0,
    -- JSON array of the absolute URLs the signup form may redirect to (anything else is refused: no open redirect)
    allowed_redirects TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX lists_by_workspace ON lists (workspace_id);

-- One row per profile that ever joined a list, written with the profile's state in the same transaction.
-- member = 0 keeps the leave; changes counts joins and leaves and names the admin's and the import's events, so a
-- retried request logs nothing twice while a later re-join is a new event.
CREATE TABLE list_members (
    list_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    member INTEGER NOT NULL,
    joined_at INTEGER NOT NULL,
    left_at INTEGER,
    changes INTEGER NOT NULL,
    PRIMARY KEY (list_id, profile_id)
) WITHOUT ROWID;
CREATE INDEX list_members_by_profile ON list_members (profile_id);

-- Double opt-in requests from the public signup form: pending until the emailed link is clicked (confirmed) or
-- expires_at passes (expired). ip, user_agent and wording are the consent evidence.
CREATE TABLE list_signups (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    list_id TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    ip TEXT,
    user_agent TEXT,
    wording TEXT,
    first_name TEXT,
    last_name TEXT
);
CREATE INDEX list_signups_by_email ON list_signups (list_id, email, requested_at);
CREATE INDEX list_signups_by_expiry ON list_signups (status, expires_at);

-- Messages waiting to be delivered. message_key makes a send idempotent: writing the same key twice keeps the
-- first row. The delivery workers (a later issue) claim due rows by status and next_attempt_at.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    profile_id TEXT,
    channel TEXT NOT NULL,
    message_key TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT,
    body_html TEXT,
    body_text TEXT,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_recipient ON outbox (workspace_id, recipient);
