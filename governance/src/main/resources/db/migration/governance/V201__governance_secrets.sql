-- Keys every instance shares: the HASH mask's key and the key that signs read cursors. Generated once, at first
-- use, unless configured (mesh.governance.mask-hash-key). Whoever can read this table can reverse HASH masks
-- with a dictionary and forge cursors: restrict it like the rest of the platform's database.
create table governance_secret (
    name       varchar(64)  not null primary key,
    secret     varchar(200) not null,
    created_at timestamp    not null
);
