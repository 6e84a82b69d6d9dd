-- Keys of the METRICS_READER role: a Prometheus scraper's, with no domain, reading /actuator/prometheus only.
-- Dropping and adding the constraint is the same SQL on H2 and PostgreSQL.
alter table registry_api_key drop constraint ck_registry_api_key_role;
alter table registry_api_key add constraint ck_registry_api_key_role
    check (role in ('PLATFORM_ADMIN', 'DOMAIN_OWNER', 'DOMAIN_MEMBER', 'CONSUMER', 'METRICS_READER'));
