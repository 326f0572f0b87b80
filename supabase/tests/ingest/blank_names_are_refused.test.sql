-- A customer's or stakeholder's name of whitespace and invisible characters is blank: the
-- delivery is refused with 22023 naming the event and field, and nothing of it is written.
-- A name with something in it, or no name on an update, is applied. (Migration 20261206242000.)
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'blank-1',
  jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-ok', 'name', 'Initech')),
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-blank', 'name', E'\u200b')))),
  '22023', 'event 1: data.name must not be blank', 'a new customer named a zero-width space is refused, naming the event');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'blank-2',
  jsonb_build_array(jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'A-1', 'name', E'\u200e\u2800')))),
  '22023', 'event 0: data.name must not be blank', 'renaming an existing customer to invisible characters is refused');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'blank-3',
  jsonb_build_array(jsonb_build_object('type', 'stakeholder.upserted', 'data',
    jsonb_build_object('customer_external_id', 'A-1', 'external_id', 'sh-blank', 'name', E'\u3164\ufeff')))),
  '22023', 'event 0: data.name must not be blank', 'a stakeholder named a Hangul filler and a byte-order mark is refused');

select tests.clear_authentication();
select is((select count(*)::int from app.customers where external_id in ('crm-ok', 'crm-blank')), 0, 'nothing of a refused delivery was written');
select isnt((select app.trimmed(name) from app.customers where external_id = 'A-1'), null, 'the existing customer keeps its name');
select tests.authenticate_as_service_role();
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'blank-4',
  jsonb_build_array(jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'A-1', 'arr', 1000))))
  -> 'applied' -> 'customers', '{"inserted": 0, "updated": 1}'::jsonb, 'an update without a name is applied');

select * from finish();
rollback;
