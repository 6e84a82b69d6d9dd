-- JSON columns as wide as every valid request makes them: a policy's spec (description, expression and message at
-- their validated maximum lengths, every character escaped) takes about 26,500 characters, a grant's row filters
-- (20 of 500 characters, escaped) about 20,100. SET DATA TYPE is the same SQL on H2 and PostgreSQL.
alter table governance_policy alter column spec set data type varchar(100000);
alter table governance_policy_history alter column spec set data type varchar(100000);
alter table governance_grant alter column row_filters_json set data type varchar(100000);
