-- Ingestion: landing jobs (desired state, lease, status) and remembered Idempotency-Keys of event batches.

create table ingestion_landing_job (
    job_key              varchar(200)  primary key,
    domain_name          varchar(63)   not null,
    product_name         varchar(63)   not null,
    major                integer       not null,
    desired_state        varchar(16)   not null,
    owner_instance       varchar(200),
    lease_epoch          bigint        not null,
    lease_expires_at     timestamp with time zone,
    state                varchar(16)   not null,
    records_landed       bigint        not null,
    records_dead_lettered bigint       not null,
    records_per_second   double precision not null,
    lag                  varchar(4000),
    last_commit_at       timestamp with time zone,
    last_error           varchar(4000),
    -- desired_state is RUNNING or STOPPED. Not a check constraint: H2 (2.4) fails such a check now and then
    -- ("Check constraint invalid") when two sessions race for the same row's lease.
    updated_at           timestamp with time zone not null
);

create table ingestion_idempotency (
    job_key          varchar(200)  not null,
    idempotency_key  varchar(200)  not null,
    request_hash     varchar(64)   not null,
    response         varchar(1000000),
    created_at       timestamp with time zone not null,
    primary key (job_key, idempotency_key)
);

create index ix_ingestion_idempotency_created on ingestion_idempotency (created_at);
