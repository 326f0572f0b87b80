-- A confirmed payment term of whitespace or invisible characters is blank (22023); a
-- decision with a key other than key, value and reject, a reject that is not a boolean, or a
-- value together with "reject": true is refused, naming the field. Nothing is written by a
-- refused call. (Migration 20261206243000.) Nor may a term hold a control character or a
-- text-direction override, which the contract page and get_customer_context would read back
-- (migration 20261216730000).
begin;
select plan(10);
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
  array['Auto renewal applies. Notice: 75 days. Net 45.'],
  jsonb_build_array(
    jsonb_build_object('key', 'auto_renew', 'value', true, 'quote', 'Auto renewal applies.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'notice_period_days', 'value', 75, 'quote', 'Notice: 75 days.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'payment_terms', 'value', 'Net 45', 'quote', 'Net 45.', 'page', 1, 'confidence', 0.9)
  )) ->> 'extraction_id' as x \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.confirm_contract_fields(%L, %L)', :'x', jsonb_build_array(jsonb_build_object('key', 'payment_terms', 'value', E' \u200b '))),
  '22023', 'Payment terms must be 1 to 200 characters', 'payment terms of spaces around a zero-width space are blank');
select throws_ok(format('select public.confirm_contract_fields(%L, %L)', :'x', jsonb_build_array(jsonb_build_object('key', 'payment_terms', 'value', E'\u2800\t'))),
  '22023', 'Payment terms must be 1 to 200 characters', 'payment terms of a blank Braille pattern and a tab are blank');
select throws_ok(format('select public.confirm_contract_fields(%L, %L)', :'x',
    jsonb_build_array(jsonb_build_object('key', 'notice_period_days', 'value', 60, 'zz', 1, 'note', 'x'))),
  '22023', 'The decision on notice_period_days has unknown keys: note, zz', 'a decision''s unknown keys are named');
select throws_ok(format('select public.confirm_contract_fields(%L, %L)', :'x',
    jsonb_build_array(jsonb_build_object('key', 'notice_period_days', 'value', 60, 'reject', true))),
  '22023', 'The field notice_period_days has a value and "reject": true; send one of them', 'a value and a rejection together are refused');
select throws_ok(format('select public.confirm_contract_fields(%L, %L)', :'x',
    jsonb_build_array(jsonb_build_object('key', 'auto_renew', 'reject', 'yes'))),
  '22023', 'reject of auto_renew must be true or false', 'a reject that is not a boolean is refused');
-- A term confirmed or corrected holds no text-direction override (migration 20261216730000).
select throws_ok(format('select public.confirm_contract_fields(%L, %L)', :'x', jsonb_build_array(jsonb_build_object('key', 'payment_terms', 'value', E'Net\u202E 45'))),
  '22023', 'payment_terms must not contain control characters or text-direction overrides', 'payment terms corrected with an override are refused, naming the field');
select tests.clear_authentication();
select is(tests.violation(format($$update app.contract_extraction_fields set confirmed_value = '"Net\u2066 30"' where extraction_id = %L$$, :'x')),
  '22023', 'and a plain update of a confirmed term alike');
select tests.authenticate_as('e_csm');
select is((select count(*)::int from app.contract_extraction_fields where extraction_id = :'x' and status <> 'proposed'), 0,
  'no refused call decided anything');
select is((select row(auto_renew, notice_period_days)::text from app.contracts where id = :'k'), '(f,)', 'nor changed the contract');
select is(public.confirm_contract_fields(:'x', jsonb_build_array(jsonb_build_object('key', 'payment_terms', 'value', E'\u00a0Net 30\n'),
                                                               jsonb_build_object('key', 'auto_renew', 'reject', true))) -> 'applied',
  '{"payment_terms": "Net 30"}'::jsonb, 'payment terms are stored without the whitespace around them, and a plain rejection still works');

select * from finish();
rollback;
