-- Product feeds of templates (docs/templates.md): what one person viewed lately, and a shop's newest products in
-- stock, each read per message without scanning the table.
CREATE INDEX product_interest_by_profile ON product_interest (workspace_id, profile_id, last_viewed_at);
CREATE INDEX catalog_products_newest ON catalog_products (workspace_id, in_stock, created_at);
