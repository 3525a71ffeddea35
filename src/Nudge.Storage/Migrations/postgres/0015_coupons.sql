-- Coupon pools (ADR 0018): what each code of a pool gives and for how long; the codes themselves are rows of
-- coupon_codes.
CREATE TABLE coupon_pools (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    -- percent, fixed or freeShipping
    type TEXT NOT NULL,
    -- Decimal text (10, 5.50); null for free shipping.
    amount TEXT,
    currency TEXT,
    valid_from BIGINT,
    valid_until BIGINT,
    valid_days INTEGER,
    usage_limit INTEGER NOT NULL,
    low_threshold INTEGER NOT NULL,
    connector_id TEXT,
    -- The shop's id of the pool's discount (a Shopify price rule id) once codes were published.
    shop_reference TEXT,
    -- The last publishing attempt's error; null after a success.
    publish_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX coupon_pools_by_workspace ON coupon_pools (workspace_id, id);

-- One row per code. A code is available while profile_id and redeemed_at are null; assignment sets profile_id,
-- assignment_key (unique per pool: the same flow run step gets the same code back), assigned_at and expires_at.
-- Codes are compared by code_key (trimmed, upper-case), as shops compare them.
CREATE TABLE coupon_codes (
    pool_id TEXT NOT NULL,
    code_key TEXT COLLATE "C" NOT NULL,
    code TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    -- uploaded or generated
    source TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    profile_id TEXT,
    assignment_key TEXT,
    run_id TEXT,
    assigned_at BIGINT,
    expires_at BIGINT,
    redeemed_at BIGINT,
    redeemed_by TEXT,
    redeemed_order_id TEXT,
    -- The event that redeemed it: a replay of that event finds its redemption again.
    redeemed_message_id TEXT,
    published_at BIGINT,
    PRIMARY KEY (pool_id, code_key)
);
CREATE UNIQUE INDEX coupon_codes_by_assignment ON coupon_codes (pool_id, assignment_key) WHERE assignment_key IS NOT NULL;
CREATE INDEX coupon_codes_available ON coupon_codes (pool_id, added_at, code_key) WHERE profile_id IS NULL AND redeemed_at IS NULL;
CREATE INDEX coupon_codes_by_code ON coupon_codes (workspace_id, code_key);
CREATE INDEX coupon_codes_by_profile ON coupon_codes (profile_id) WHERE profile_id IS NOT NULL;
CREATE INDEX coupon_codes_by_run ON coupon_codes (run_id) WHERE run_id IS NOT NULL;
CREATE INDEX coupon_codes_unpublished ON coupon_codes (pool_id, added_at, code_key) WHERE published_at IS NULL;
