-- Product majors whose last served version retired: their data (topics, tables) is kept until purge_due_at (the
-- declared retention, or the default), then purged; a deleted domain's name is free again once all its are purged.
create table registry_retired_major (
    domain_name  varchar(63)  not null,
    product_name varchar(63)  not null,
    major        integer      not null,
    retired_at   timestamp with time zone not null,
    purge_due_at timestamp with time zone not null,
    purged_at    timestamp with time zone,
    primary key (domain_name, product_name, major)
);
create index registry_retired_major_due on registry_retired_major (purge_due_at);
