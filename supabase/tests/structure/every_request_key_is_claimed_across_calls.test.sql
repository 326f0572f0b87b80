-- Every column that keeps a person's idempotency key is claimed by the one rule that makes a
-- key name one request across every call (app.claim_row_request_key → app.claim_request_key,
-- migration 20261212300000; docs/api-contract.md "Errors"). A new store of keys written
-- without its trigger would let one key be taken again by another call, silently; this test
-- names it. A key column is one named `request_key`, `idempotency_key` or `*_request_key`.
-- Not keys of a person's request, so not here: a chat message's client_message_id (checked
-- within its thread) and ingest's webhook_id (a sender's delivery id), which are named
-- otherwise; and app.request_keys, where the claims themselves are kept.
begin;
select plan(2);

create temp table key_columns on commit drop as
select c.table_name, c.column_name
  from information_schema.columns c
 where c.table_schema = 'app'
   and (c.column_name in ('request_key', 'idempotency_key') or c.column_name like '%\_request\_key')
   and c.table_name <> 'request_keys';

-- The trigger's first argument names the column it claims (pg_trigger.tgargs: NUL-separated).
create temp table claimed_columns on commit drop as
select t.tgrelid::regclass::text as table_name,
       split_part(encode(t.tgargs, 'escape'), '\000', 1) as column_name
  from pg_trigger t
 where t.tgfoid = 'app.claim_row_request_key()'::regprocedure
   and not t.tgisinternal;

select cmp_ok((select count(*)::int from key_columns), '>=', 12, 'the key columns are found (12 stores when the rule was written)');

select is(
  (select coalesce(array_agg(k.table_name || '.' || k.column_name order by 1), '{}')
     from key_columns k
    where not exists (select 1 from claimed_columns c
                       where c.table_name = 'app.' || k.table_name and c.column_name = k.column_name)),
  '{}'::text[],
  'every key column has a trigger that claims it through app.claim_row_request_key');

select * from finish();
rollback;
