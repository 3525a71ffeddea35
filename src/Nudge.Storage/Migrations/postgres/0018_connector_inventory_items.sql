-- Which variant each Shopify inventory item belongs to, per connector: inventory level webhooks name only the
-- inventory item, so product webhooks record it here and stock changes find their variant through it.
CREATE TABLE connector_inventory_items (
    connector_id TEXT NOT NULL,
    inventory_item_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    PRIMARY KEY (connector_id, inventory_item_id)
);
