-- The column lineage of a version's transformation (which output columns derive from which input columns), as JSON,
-- computed when the version is applied.
alter table registry_product_version add column column_lineage varchar(1000000);
