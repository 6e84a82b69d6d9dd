-- What the platform found about a released version after it was published, e.g. SQL its sandbox refuses now:
-- shown in the catalog beside the version, and cleared when no longer true. Not part of the descriptor.
create table registry_version_flag (
    version_id bigint        not null references registry_product_version (id) on delete cascade,
    code       varchar(64)   not null,
    message    varchar(4000) not null,
    flagged_at timestamp with time zone not null,
    primary key (version_id, code)
);
