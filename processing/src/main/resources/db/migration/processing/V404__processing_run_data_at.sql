-- The newest-data time of what a run read, recorded when it starts (its SLO freshness once published): the oldest of
-- the newest committed event of its raw table and, per input product, the data time of that input's last published
-- run. Null when none is known.
alter table processing_run add column data_at timestamp with time zone;
