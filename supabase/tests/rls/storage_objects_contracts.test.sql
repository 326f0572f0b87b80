-- Row-level security on storage.objects for the `contracts` bucket: a member reads the
-- documents under `<their org>/<customer they can see>/`; the customer's csm (any csm while
-- it has none), a manager or an admin adds, replaces and removes them; another csm and a
-- viewer only read (migration 20261212100000); another organisation, anon, a folder
-- naming another org's customer, a path that is not three segments, or a segment that is not
-- a uuid never match (and never fail with 22P02). Rows are written as the Storage API writes
-- them: as the caller, with storage.allow_delete_query set for deletes.
begin;
select plan(22);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Mine', 0, 55, :'today'::date + 80, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date)
values (:'org', 'Nobody''s', 0, 55, :'today'::date + 80) returning id as open_cust \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date)
values (:'other_org', 'Theirs', 0, 55, :'today'::date + 80) returning id as other_cust \gset
select set_config('storage.allow_delete_query', 'true', true) is not null as deletes_allowed \gset

\set ins 'insert into storage.objects (bucket_id, name, owner_id, metadata) values (''contracts'', '

select tests.authenticate_as('e_csm');
select lives_ok(format(:'ins' || '%L, auth.uid()::text, ''{}'')', :'org' || '/' || :'cust' || '/msa.pdf'),
  'a csm adds a document under their org and customer');
select throws_ok(format(:'ins' || '%L, null, ''{}'')', :'other_org' || '/' || :'other_cust' || '/x.pdf'), '42501', null,
  'not under another organisation''s folder');
select throws_ok(format(:'ins' || '%L, null, ''{}'')', :'org' || '/' || :'other_cust' || '/x.pdf'), '42501', null,
  'not under their own org with another org''s customer');
select throws_ok(format(:'ins' || '%L, null, ''{}'')', :'org' || '/not-a-uuid/x.pdf'), '42501', null,
  'a segment that is not a uuid is no match (42501, not 22P02)');
select throws_ok(format(:'ins' || '%L, null, ''{}'')', :'org' || '/x.pdf'), '42501', null, 'two segments are no match');
select throws_ok(format(:'ins' || '%L, null, ''{}'')', :'org' || '/' || :'cust' || '/sub/x.pdf'), '42501', null, 'four segments are no match');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('avatars', 'x')$$, '42501', null, 'no other bucket');
select is((select count(*)::int from storage.objects where bucket_id = 'contracts'), 1, 'the csm reads their organisation''s document');
select isnt_empty($$update storage.objects set metadata = '{"a": 1}' where bucket_id = 'contracts' returning 1$$, 'and may replace it');

select tests.authenticate_as('e_csm2');
select is((select count(*)::int from storage.objects where bucket_id = 'contracts'), 1, 'another csm reads the csm''s customer''s document');
select throws_ok(format(:'ins' || '%L, null, ''{}'')', :'org' || '/' || :'cust' || '/mine-now.pdf'), '42501', null,
  'another csm cannot add one to the csm''s customer');
select is_empty($$update storage.objects set metadata = '{"forged": true}' where bucket_id = 'contracts' returning 1$$,
  'nor replace the csm''s customer''s document');
select is_empty($$delete from storage.objects where bucket_id = 'contracts' returning 1$$, 'nor remove it');
select lives_ok(format(:'ins' || '%L, auth.uid()::text, ''{}'')', :'org' || '/' || :'open_cust' || '/open.pdf'),
  'any csm adds one to a customer without a csm');
delete from storage.objects where bucket_id = 'contracts' and name like '%/open.pdf';

select tests.authenticate_as('e_viewer');
select is((select count(*)::int from storage.objects where bucket_id = 'contracts'), 1, 'a viewer reads it');
select throws_ok(format(:'ins' || '%L, null, ''{}'')', :'org' || '/' || :'cust' || '/v.pdf'), '42501', null, 'a viewer cannot add one');
select is_empty($$delete from storage.objects where bucket_id = 'contracts' returning 1$$, 'nor remove one');

select tests.authenticate_as('o_csm');
select is((select count(*)::int from storage.objects where bucket_id = 'contracts'), 0, 'another organisation sees nothing');
select is_empty($$update storage.objects set metadata = '{}' where bucket_id = 'contracts' returning 1$$, 'changes nothing');
select is_empty($$delete from storage.objects where bucket_id = 'contracts' returning 1$$, 'removes nothing');

select tests.authenticate_as_anon();
select is((select count(*)::int from storage.objects where bucket_id = 'contracts'), 0, 'anon sees nothing');

select tests.authenticate_as('e_manager');
select isnt_empty($$delete from storage.objects where bucket_id = 'contracts' returning 1$$, 'a manager removes it');
select tests.clear_authentication();

select * from finish();
rollback;
