-- The product catalog (ADR 0015). content is the product as the shop last sent it (JSON); an upsert that sends
-- the same content again writes nothing. The other columns are what search filters on, lower-cased where it
-- compares case-insensitively.
CREATE TABLE catalog_products (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    brand_key TEXT,
    type_key TEXT,
    -- 1 when the product or any of its variants can be bought now
    in_stock BIGINT NOT NULL,
    -- lower-case title, SKUs (of the variants too) and brand, for text search
    search_text TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- Categories and tags, one row each, lower-cased: the filters of catalog search.
CREATE TABLE catalog_product_terms (
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    product_id TEXT NOT NULL,
    PRIMARY KEY (workspace_id, kind, value, product_id)
);
CREATE INDEX catalog_product_terms_by_product ON catalog_product_terms (workspace_id, product_id);

-- A row per price change of a product (variant_id '') or variant, written only when the price or currency changes.
-- id orders the rows as they were committed: the signals tailer follows it.
CREATE TABLE catalog_price_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    price NUMERIC,
    compare_at_price NUMERIC,
    currency TEXT
);
CREATE INDEX catalog_price_history_by_product ON catalog_price_history (workspace_id, product_id, variant_id, at);

-- A row per stock change of a product (variant_id '') or variant, written only when quantity or availability changes.
CREATE TABLE catalog_inventory_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    quantity BIGINT,
    in_stock BIGINT NOT NULL
);
CREATE INDEX catalog_inventory_history_by_product ON catalog_inventory_history (workspace_id, product_id, variant_id, at);

-- Marketing attributes the shop set on a product type (JSON), keyed by the lower-cased type.
CREATE TABLE catalog_product_types (
    workspace_id TEXT NOT NULL,
    type_key TEXT NOT NULL,
    product_type TEXT NOT NULL,
    attributes TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, type_key)
);

-- Product signals (price drop, back in stock) settings per workspace (JSON); defaults apply without a row.
CREATE TABLE catalog_signal_settings (
    workspace_id TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Who showed interest in which product, kept from the log by the interest tailer: the audience of product signals
-- is read from here, never by scanning the event log.
CREATE TABLE product_interest (
    workspace_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    last_viewed_at BIGINT,
    last_carted_at BIGINT,
    -- the last view while the product was out of stock; cleared when a back-in-stock message goes out
    viewed_out_of_stock_at BIGINT,
    PRIMARY KEY (workspace_id, product_id, profile_id)
);

-- People who asked to be told when a product (variant_id '' for any variant) is back; deleted once told.
CREATE TABLE back_in_stock_requests (
    workspace_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, product_id, variant_id, profile_id)
);

-- A product or variant that came back in stock, and its waves of messages: status 'open' until every person in
-- its audience was told or it ran out again ('done').
CREATE TABLE back_in_stock_restocks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    -- the inventory history row that reported the restock: one restock per row
    history_id BIGINT NOT NULL UNIQUE,
    started_at BIGINT NOT NULL,
    next_wave_at BIGINT NOT NULL,
    waves BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL
);
CREATE INDEX back_in_stock_restocks_due ON back_in_stock_restocks (status, next_wave_at);

-- The people a restock tells, in order (requests first, then viewers), each told once.
CREATE TABLE back_in_stock_audience (
    restock_id BIGINT NOT NULL,
    profile_id TEXT NOT NULL,
    rank BIGINT NOT NULL,
    reason TEXT NOT NULL,
    notified_at BIGINT,
    PRIMARY KEY (restock_id, profile_id)
);
CREATE INDEX back_in_stock_audience_next ON back_in_stock_audience (restock_id, notified_at, rank);

-- How far the catalog's tailers have read (the event log for interest, the price and inventory history for signals).
CREATE TABLE catalog_cursors (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
