-- When a product's slot was taken: a slot held by maintenance (compaction, schema evolution) rather than a run has
-- no run record to go stale, so an instance that died holding one is recognised by the slot's age.
alter table processing_active_run add column taken_at timestamp with time zone;
