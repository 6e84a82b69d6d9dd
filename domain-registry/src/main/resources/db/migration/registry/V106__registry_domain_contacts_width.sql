-- A domain's contacts as JSON: 20 contacts at their validated maximum lengths, every character escaped, take about
-- 26,000 characters; the column fits every valid request. SET DATA TYPE is the same SQL on H2 and PostgreSQL.
alter table registry_domain alter column contacts set data type varchar(100000);
