-- Dead letters replayed into their product's topic, one row per refused event (its position in the product's
-- topic: two dead letters of one event, sent twice by a landing job that crashed before its commit, share it).
-- The row is inserted before the event is produced (state CLAIMED) and marked REPLAYED once Kafka acknowledged it;
-- the primary key makes a second, concurrent replay of the same event find the first one's row instead of producing.

create table ingestion_dead_letter_replay (
    job_key                varchar(200)  not null,
    source_partition       integer       not null,
    source_offset          bigint        not null,
    dead_letter_partition  integer       not null,
    dead_letter_offset     bigint        not null,
    -- CLAIMED (being produced, or the outcome was lost) or REPLAYED.
    state                  varchar(16)   not null,
    replayed_by            varchar(200)  not null,
    claimed_at             timestamp with time zone not null,
    replayed_at            timestamp with time zone,
    topic_partition        integer,
    topic_offset           bigint,
    primary key (job_key, source_partition, source_offset)
);
