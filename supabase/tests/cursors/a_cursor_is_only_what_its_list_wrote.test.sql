-- A cursor is opaque to a caller, and one its list did not write is refused: every list that
-- pages holds its cursor to one shape, app.cursor_of_shape (migration 20261216320000,
-- docs/api-contract.md "Paging"): the keys its list writes, no other, none missing, each of
-- the JSON type written. A forged or stale cursor (an unknown key, a wrong type, a missing key,
-- another list's) is 22023 and reads nothing. Before, each list read the keys it knew and
-- ignored the rest, so {"renewal_date", "name", "customer_id", "x"} paged the forecast, and
-- the queue took a cursor without its date as one from the end of the list.
begin;
select plan(20);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, external_id)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm', 'C-1') returning id as cust \gset

create function pg_temp.b64(value jsonb) returns text language sql as
$$ select translate(encode(convert_to(value::text, 'UTF8'), 'base64'), E'\n', '') $$;
select gen_random_uuid() as some_id, now()::text as some_time \gset
grant execute on function pg_temp.b64(jsonb) to authenticated;

select tests.authenticate_as('e_manager');
-- The forecast's next_after
select lives_ok(format($$select public.get_renewal_forecast(%L, %L, after => %L)$$, :'today', (:'today'::date + 90)::text,
    jsonb_build_object('renewal_date', :'today', 'name', 'Contoso', 'customer_id', :'some_id')),
  'the forecast takes a next_after as its list writes it');
select throws_ok(format($$select public.get_renewal_forecast(%L, %L, after => %L)$$, :'today', (:'today'::date + 90)::text,
    jsonb_build_object('renewal_date', :'today', 'name', 'Contoso', 'customer_id', :'some_id', 'x', 1)),
  '22023', 'after must be the next_after of a previous answer', 'the forecast refuses a next_after with an unknown key');
select throws_ok(format($$select public.get_renewal_forecast(%L, %L, after => %L)$$, :'today', (:'today'::date + 90)::text,
    jsonb_build_object('renewal_date', :'today', 'name', 42, 'customer_id', :'some_id')),
  '22023', 'after must be the next_after of a previous answer', 'and one whose name is no string');

select tests.authenticate_as('e_csm');
-- The queue
select lives_ok(format('select public.get_workflow_queue(cursor => %L)',
    pg_temp.b64(jsonb_build_object('l', 1, 'p', 50, 'd', :'today', 't', 1, 'i', :'some_id'))),
  'the queue takes a cursor as its list writes it');
select lives_ok(format('select public.get_workflow_queue(cursor => %L)',
    pg_temp.b64(jsonb_build_object('l', 1, 'p', 50, 'd', null, 't', 1, 'i', :'some_id'))),
  'with no date (an item without one)');
select throws_ok(format('select public.get_workflow_queue(cursor => %L)',
    pg_temp.b64(jsonb_build_object('l', 1, 'p', 50, 't', 1, 'i', :'some_id'))),
  '22023', 'cursor is not valid', 'the queue refuses a cursor missing its date');
select throws_ok(format('select public.get_workflow_queue(cursor => %L)',
    pg_temp.b64(jsonb_build_object('l', '1', 'p', 50, 'd', :'today', 't', 1, 'i', :'some_id'))),
  '22023', 'cursor is not valid', 'one whose lane is a string');
select throws_ok(format('select public.get_workflow_queue(cursor => %L)',
    pg_temp.b64(jsonb_build_object('l', 1, 'p', 50, 'd', :'today', 't', 1, 'i', :'some_id', 'assignee', :'csm2'))),
  '22023', 'cursor is not valid', 'one with an unknown key');

-- A customer's timeline
select lives_ok(format('select public.get_customer_timeline(%L, cursor => %L)', :'cust',
    pg_temp.b64(jsonb_build_object('t', :'some_time', 'i', :'some_id', 'k', 'engagement'))),
  'the timeline takes a cursor as its list writes it');
select throws_ok(format('select public.get_customer_timeline(%L, cursor => %L)', :'cust',
    pg_temp.b64(jsonb_build_object('t', :'some_time', 'i', :'some_id', 'k', 'engagement', 'x', 1))),
  '22023', 'cursor is not valid', 'the timeline refuses one with an unknown key');
select throws_ok(format('select public.get_customer_timeline(%L, cursor => %L)', :'cust',
    pg_temp.b64(jsonb_build_object('c', :'some_time', 'i', :'some_id'))),
  '22023', 'cursor is not valid', 'and another list''s (the outbox''s)');

-- Tasks
select lives_ok(format('select public.list_tasks(cursor => %L)',
    pg_temp.b64(jsonb_build_object('s', 'due', 'a', 0, 'b', :'some_time', 'i', :'some_id'))),
  'tasks take a cursor as their list writes it');
select throws_ok(format('select public.list_tasks(cursor => %L)',
    pg_temp.b64(jsonb_build_object('s', 'due', 'a', 0, 'b', :'some_time', 'i', :'some_id', 'x', true))),
  '22023', 'cursor is not valid', 'tasks refuse one with an unknown key');
select throws_ok(format('select public.list_tasks(cursor => %L)',
    pg_temp.b64(jsonb_build_object('s', 'due', 'a', '0', 'b', :'some_time', 'i', :'some_id'))),
  '22023', 'cursor is not valid', 'and one whose rank is a string');

-- Customers
select lives_ok(format('select public.list_customers(cursor => %L, sort => %L)',
    pg_temp.b64(jsonb_build_object('s', 'name', 'k', jsonb_build_array('contoso', null, :'some_id'))), 'name'),
  'customers take a cursor as their list writes it');
select throws_ok(format('select public.list_customers(cursor => %L, sort => %L)',
    pg_temp.b64(jsonb_build_object('s', 'name', 'k', jsonb_build_array('contoso', null, :'some_id'), 'x', 1)), 'name'),
  '22023', 'cursor is not valid', 'customers refuse one with an unknown key');

-- The outbox
select lives_ok(format('select public.list_outbox_messages(cursor => %L)',
    pg_temp.b64(jsonb_build_object('c', :'some_time', 'i', :'some_id'))),
  'the outbox takes a cursor as its list writes it');
select throws_ok(format('select public.list_outbox_messages(cursor => %L)',
    pg_temp.b64(jsonb_build_object('c', :'some_time', 'i', :'some_id', 'k', 'engagement'))),
  '22023', 'cursor is not valid', 'the outbox refuses one with an unknown key');

-- The audit log
select tests.authenticate_as('e_admin');
select lives_ok(format('select public.list_admin_audit(cursor => %L)',
    pg_temp.b64(jsonb_build_object('c', :'some_time', 'i', 12))),
  'the audit log takes a cursor as its list writes it');
select throws_ok(format('select public.list_admin_audit(cursor => %L)',
    pg_temp.b64(jsonb_build_object('c', :'some_time', 'i', 12, 'entity', 'person'))),
  '22023', 'cursor is not valid', 'the audit log refuses one with an unknown key');

select * from finish();
rollback;
