-- Landing counts per job and hour instead of per commit: a job committing every second wrote 86,400 rows a day, and
-- each SLO evaluation summed them; now it sums at most 25. Completeness counts whole hours (docs/health-and-lineage.md).
create table ingestion_landing_hour (
    job_key       varchar(200) not null,
    hour_start    timestamp with time zone not null,
    records       bigint       not null,
    dead_letters  bigint       not null,
    primary key (job_key, hour_start)
);
insert into ingestion_landing_hour (job_key, hour_start, records, dead_letters)
    select job_key, date_trunc('hour', committed_at), sum(records), sum(dead_letters)
    from ingestion_landing_flush group by job_key, date_trunc('hour', committed_at);
drop table ingestion_landing_flush;
