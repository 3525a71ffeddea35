-- When the demo shop finished seeding; a start that finds it unset seeds (again: resends are de-duplicated).
ALTER TABLE workspaces ADD COLUMN demo_seeded_at BIGINT;
