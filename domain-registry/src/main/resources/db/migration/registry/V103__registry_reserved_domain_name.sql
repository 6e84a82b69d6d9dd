-- The names of deleted domains whose products' data the platform still keeps (retired products' topics and tables):
-- a new domain of that name would inherit them, so the name stays reserved until that data is purged.
create table registry_reserved_domain_name (
    name       varchar(63)  primary key,
    deleted_at timestamp with time zone not null
);
