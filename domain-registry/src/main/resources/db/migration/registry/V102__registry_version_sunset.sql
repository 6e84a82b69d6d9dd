-- The date after which a deprecated version is no longer served, as its owners announced it when deprecating it
-- (sent to readers in the Sunset header).
alter table registry_product_version add column sunset_at timestamp with time zone;
