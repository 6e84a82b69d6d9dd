-- Processing: the record of every run of a product's transformation, and the one active run per product.

create table processing_run (
    id                varchar(40)   primary key,
    domain_name       varchar(63)   not null,
    product_name      varchar(63)   not null,
    major             integer       not null,
    version           varchar(64)   not null,
    trigger_kind      varchar(16)   not null,
    requested_by      varchar(200),
    state             varchar(16)   not null,
    phase             varchar(40),
    progress          double precision not null,
    owner_instance    varchar(200),
    heartbeat_at      timestamp with time zone,
    created_at        timestamp with time zone not null,
    started_at        timestamp with time zone,
    finished_at       timestamp with time zone,
    rows_read         bigint,
    rows_written      bigint,
    bytes_written     bigint,
    snapshot_id       bigint,
    published         boolean,
    rule_results      varchar(100000),
    error             varchar(4000),
    cancel_requested  boolean       not null
);

create index ix_processing_run_product on processing_run (domain_name, product_name, created_at);
create index ix_processing_run_state on processing_run (state);

-- At most one queued or running run per product: the primary key refuses a second.
create table processing_active_run (
    product_key  varchar(200)  primary key,
    run_id       varchar(40)   not null
);

-- When each product's cron schedule last fired; instances claim a firing by a conditional update.
create table processing_schedule (
    product_key   varchar(200)  primary key,
    last_fire_at  timestamp with time zone not null
);
