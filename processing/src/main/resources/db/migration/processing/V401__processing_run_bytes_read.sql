-- Bytes read by a run: the data files of the raw view and the input views at the snapshots it read.
alter table processing_run add column bytes_read bigint;
