-- A confirmed term's value is of its field's JSON type: a number sent as text ("60"), text
-- sent as a number, a yes/no as text is 22023 naming the field, and nothing is decided or
-- changed. A customer's terms are confirmed by its CSM, any CSM while it has none, a
-- manager or an admin: another CSM is 42501 and changes nothing. (Migration 20261208700000.)
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 0, 55, :'today'::date + 80, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Nobody''s', 0, 55, :'today'::date + 80, null) returning id as open_cust \gset
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days, annual_value)
values (:'org', :'cust', 'active', :'today'::date - 285, :'today'::date + 79, false, null, 1000) returning id as k \gset
select :'org' || '/' || :'cust' || '/msa.txt' as path \gset
select :'org' || '/' || :'open_cust' || '/msa.txt' as open_path \gset
insert into storage.objects (bucket_id, name, metadata) values ('contracts', :'path', '{}'), ('contracts', :'open_path', '{}');
select tests.authenticate_as_service_role();
select public.record_contract_extraction(:'csm', :'cust', :'path', 'test-model',
  array['Notice: 75 days. Fee: 50000. Net 45.'],
  jsonb_build_array(
    jsonb_build_object('key', 'notice_period_days', 'value', 75, 'quote', 'Notice: 75 days.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'annual_value', 'value', 50000, 'quote', 'Fee: 50000.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'payment_terms', 'value', 'Net 45', 'quote', 'Net 45.', 'page', 1, 'confidence', 0.9)
  )) ->> 'extraction_id' as x \gset
select public.record_contract_extraction(:'csm2', :'open_cust', :'open_path', 'test-model',
  array['Notice: 30 days.'],
  jsonb_build_array(
    jsonb_build_object('key', 'notice_period_days', 'value', 30, 'quote', 'Notice: 30 days.', 'page', 1, 'confidence', 0.9)
  )) ->> 'extraction_id' as open_x \gset

-- Each field's JSON type.
select tests.authenticate_as('e_csm');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "notice_period_days", "value": "60"}]')$$, :'x'),
  '22023', 'The value of notice_period_days must be a number, not text or another kind of value', 'whole days sent as text are refused');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "annual_value", "value": "48000"}]')$$, :'x'),
  '22023', 'The value of annual_value must be a number, not text or another kind of value', 'an amount sent as text is refused');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "payment_terms", "value": 30}]')$$, :'x'),
  '22023', 'The value of payment_terms must be a string', 'payment terms sent as a number are refused');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "auto_renew", "value": "true"}]')$$, :'x'),
  '22023', 'The value of auto_renew must be a boolean (true or false)', 'a yes/no sent as text is refused');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "notice_period_days", "value": 60.0}]')$$, :'x'),
  '22023', 'The value of notice_period_days must be a whole number in range', 'whole days written with a decimal point are refused');
select is((select count(*)::int from app.contract_extraction_fields where extraction_id = :'x' and status <> 'proposed'), 0,
  'no refused value decided anything');

-- Who confirms: the customer's CSM, any CSM while it has none, a manager or an admin.
select tests.authenticate_as('e_csm2');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "notice_period_days", "value": 60}]')$$, :'x'),
  '42501', 'Only the customer''s CSM, a manager or an admin can confirm its contract terms', 'another CSM cannot confirm the terms');
select is((select count(*)::int from app.contract_extraction_fields where extraction_id = :'x' and status <> 'proposed'), 0,
  'nor decide a field');
select is((select notice_period_days from app.contracts where id = :'k'), null, 'nor change the contract');
select is(public.confirm_contract_fields(:'open_x', '[{"key": "notice_period_days", "value": 30}]') -> 'applied',
  '{"notice_period_days": 30}'::jsonb, 'any CSM confirms the terms of a customer nobody holds');

select tests.authenticate_as('e_csm');
select is(public.confirm_contract_fields(:'x', '[{"key": "notice_period_days", "value": 60}]') -> 'applied',
  '{"notice_period_days": 60}'::jsonb, 'the customer''s CSM confirms a number sent as a number');
select tests.authenticate_as('e_manager');
select is(public.confirm_contract_fields(:'x', '[{"key": "annual_value", "value": 48000.5}]') -> 'applied',
  '{"annual_value": 48000.5}'::jsonb, 'a manager confirms another CSM''s customer''s terms');
select tests.authenticate_as('e_admin');
select is(public.confirm_contract_fields(:'x', '[{"key": "payment_terms", "value": "Net 30"}]') -> 'applied',
  '{"payment_terms": "Net 30"}'::jsonb, 'and so does an admin');
select tests.clear_authentication();
select is((select row(notice_period_days, annual_value, terms ->> 'payment_terms')::text from app.contracts where id = :'k'),
  '(60,48000.50,"Net 30")', 'the contract holds what the three confirmed');

select * from finish();
rollback;
