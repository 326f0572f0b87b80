-- list_admin_audit's entity filter names an entity as the log names them (lowercase
-- letters, digits and _, at most 63 characters): a malformed one ("Person!", a zero-width
-- space, a 1 MB string) is 22023 naming entity, never an empty page; a well-formed entity
-- with no entries is an empty page. An overlong cursor is refused unread.
-- (Migration 20261206253000.)
begin;
select plan(7);
set client_min_messages = warning;
select tests.create_organisation('Audit Filter Org') as org \gset
select tests.create_member('af_admin', :'org', 'admin') as admin \gset
select tests.authenticate_as('af_admin');
select app.record_admin_change('person', 'p-1', 'update', '{"role": "csm"}', '{"role": "manager"}') is null as recorded \gset

select throws_ok($$ select public.list_admin_audit(entity => 'Person!') $$, '22023',
  'entity must be an entity name such as person or webhook_secret', 'a malformed entity is refused');
select throws_ok($$ select public.list_admin_audit(entity => E'\u200b') $$, '22023',
  'entity must be an entity name such as person or webhook_secret', 'an invisible one too');
select throws_ok($$ select public.list_admin_audit(entity => repeat('x', 1000000)) $$, '22023',
  'entity must be an entity name such as person or webhook_secret', 'and a 1 MB one');
select throws_ok($$ select public.list_admin_audit(cursor => repeat('x', 1000000)) $$, '22023',
  'cursor is not valid', 'a 1 MB cursor is not a cursor');
select is(jsonb_array_length(public.list_admin_audit(entity => 'person') -> 'items'), 1, 'a well-formed entity filters');
select is(public.list_admin_audit(entity => 'saved_action') -> 'items', '[]'::jsonb, 'one with no entries is an empty page');
select is(jsonb_array_length(public.list_admin_audit() -> 'items'), 1, 'no filter lists every entry');
select * from finish();
rollback;
