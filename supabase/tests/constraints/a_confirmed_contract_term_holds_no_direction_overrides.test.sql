-- A contract term a person confirms or corrects holds no text-direction override and no
-- control character, as the contract's terms it is applied to do (migration 20261216730000):
-- before, confirm_contract_fields kept payment terms 'Net<U+202E> 45' in the extraction's
-- history, where the contract page and get_customer_context read them back. Refused with
-- 22023 naming the field, nothing decided and the contract unchanged.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 0, 55, :'today'::date + 80, :'csm') returning id as cust \gset
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days, annual_value)
values (:'org', :'cust', 'active', :'today'::date - 285, :'today'::date + 79, false, null, 1000) returning id as k \gset
select :'org' || '/' || :'cust' || '/msa.txt' as path \gset
insert into storage.objects (bucket_id, name, metadata) values ('contracts', :'path', '{}');
select tests.authenticate_as_service_role();
select public.record_contract_extraction(:'csm', :'cust', :'path', 'test-model',
  array['Net 45.'],
  jsonb_build_array(jsonb_build_object('key', 'payment_terms', 'value', 'Net 45', 'quote', 'Net 45.', 'page', 1, 'confidence', 0.9))
  ) ->> 'extraction_id' as x \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.confirm_contract_fields(%L, %L)', :'x', jsonb_build_array(jsonb_build_object('key', 'payment_terms', 'value', E'Net\u202E 45'))),
  '22023', 'payment_terms must not contain control characters or text-direction overrides', 'payment terms corrected with an override are refused');
select is((select count(*)::int from app.contract_extraction_fields where extraction_id = :'x' and status <> 'proposed'), 0,
  'nothing was decided');
select lives_ok(format('select public.confirm_contract_fields(%L, %L)', :'x', jsonb_build_array(jsonb_build_object('key', 'payment_terms', 'value', 'שוטף + 45'))),
  'Hebrew payment terms are confirmed');
select tests.clear_authentication();
select is(tests.violation(format($$update app.contract_extraction_fields set confirmed_value = '"Net\u2066 30"' where extraction_id = %L$$, :'x')),
  '22023', 'a plain update is refused alike');
select * from finish();
rollback;
