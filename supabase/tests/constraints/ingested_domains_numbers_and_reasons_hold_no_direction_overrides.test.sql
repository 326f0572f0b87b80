-- The texts a sender's system writes and the screens show, beside the names and titles of
-- 20261214300000, hold no control character and no text-direction override: a customer's
-- domain (under its name on the customers list, the queue and the context panel) and a
-- contract's number (its title on the customer page) are one line; the reason of an ARR
-- change may hold line breaks and tabs but no override. Before migration 20261215620000 they
-- were stored as sent: a domain 'evil<U+202E>moc.example' read 'evilelpmaxe.com'. Refused
-- with 22023 naming the field, and nothing of the delivery is written, whichever path
-- writes them (the ingest here; a plain UPDATE too).
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

select tests.authenticate_as_service_role();
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'dom-0', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-1', 'name', 'Initech', 'domain', 'initech.example')))),
  'a customer with a plain domain is applied');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'dom-1', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-2', 'name', 'Fine Co')),
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-3', 'name', 'Evil Co', 'domain', E'evil\u202Emoc.example')))),
  '22023', 'domain must not contain control characters or text-direction overrides', 'a domain with a right-to-left override is refused');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'dom-2', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-1', 'domain', E'initech.example\tx')))),
  '22023', 'domain must not contain control characters or text-direction overrides', 'a domain is one line: a tab is refused');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'num-1', jsonb_build_array(
    jsonb_build_object('type', 'contract.upserted', 'data', jsonb_build_object('external_id', 'k-1', 'customer_external_id', 'crm-1',
      'start_date', '2026-06-01', 'contract_number', E'MSA-7\u202Efdp.exe')))),
  '22023', 'contract_number must not contain control characters or text-direction overrides', 'a contract number with an override is refused');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'arr-1', jsonb_build_array(
    jsonb_build_object('type', 'arr.changed', 'data', jsonb_build_object('customer_external_id', 'crm-1', 'arr', 120000,
      'reason', E'Upsell \u2067approved')))),
  '22023', 'reason must not contain control characters or text-direction overrides', 'an ARR change''s reason with an isolate is refused');
select is((select count(*)::int from app.customers where org_id = :'org' and external_id in ('crm-2', 'crm-3')) +
          (select count(*)::int from app.contracts where org_id = :'org') +
          (select count(*)::int from app.arr_history h join app.customers c on c.id = h.customer_id where c.external_id = 'crm-1' and h.arr = 120000),
  0, 'nothing of a refused delivery was written');
select is((select domain from app.customers where org_id = :'org' and external_id = 'crm-1'), 'initech.example', 'and the domain is as it was');
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'ok-1', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-1', 'domain', 'שלום.example')),
    jsonb_build_object('type', 'contract.upserted', 'data', jsonb_build_object('external_id', 'k-1', 'customer_external_id', 'crm-1',
      'start_date', '2026-06-01', 'contract_number', 'MSA-7')),
    jsonb_build_object('type', 'arr.changed', 'data', jsonb_build_object('customer_external_id', 'crm-1', 'arr', 120000,
      'reason', E'Upsell:\n20 seats')))),
  'a Hebrew domain, a plain number and a reason of two lines are applied');
select tests.clear_authentication();
select is(tests.violation(format($$update app.contracts set contract_number = E'MSA\u202E7' where org_id = %L$$, :'org')),
  '22023', 'a plain UPDATE of a contract number is refused alike');
select * from finish();
rollback;
