-- An id an event names a record by (external_id, customer_external_id) that is empty, or
-- only whitespace or invisible characters, is blank: the delivery is refused with 22023
-- naming the event and field, and nothing of it is written. (Migration 20261206258000.)
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'blank-id-1',
  jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-ok', 'name', 'Initech')),
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', E'\u200b', 'name', 'Zero Co')))),
  '22023', 'event 1: data.external_id must not be blank', 'a customer whose id is a zero-width space is refused, naming the event');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'blank-id-2',
  jsonb_build_array(jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', '   ', 'name', 'Spaces Co')))),
  '22023', 'event 0: data.external_id must not be blank', 'one of spaces too');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'blank-id-3',
  jsonb_build_array(jsonb_build_object('type', 'stakeholder.upserted', 'data',
    jsonb_build_object('customer_external_id', E'\t\u00a0', 'external_id', 'sh-1', 'name', 'Dana')))),
  '22023', 'event 0: data.customer_external_id must not be blank', 'a stakeholder of a customer named by a tab and a no-break space is refused');

select tests.clear_authentication();
select is((select count(*)::int from app.customers where external_id in ('crm-ok', E'\u200b', '   ') or name = 'Zero Co'), 0,
  'nothing of a refused delivery was written');
select tests.authenticate_as_service_role();
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'blank-id-4',
  jsonb_build_array(jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-new', 'name', 'Initech'))))
  -> 'applied' -> 'customers', '{"inserted": 1, "updated": 0}'::jsonb, 'an id with something in it is applied');
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'blank-id-5',
  jsonb_build_array(jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'A-1', 'arr', 1000))))
  -> 'applied' -> 'customers', '{"inserted": 0, "updated": 1}'::jsonb, 'and an existing customer''s');
select * from finish();
rollback;
