-- Proposals change nothing; confirm_contract_fields applies confirmed and corrected values
-- to the contract in force (and so the decision date, stage and lane at once), leaves
-- rejected fields alone, checks every value, and refuses viewers and other organisations.
begin;
select plan(23);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 0, 55, :'today'::date + 80, :'csm') returning id as cust \gset
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days, annual_value)
values (:'org', :'cust', 'active', :'today'::date - 285, :'today'::date + 79, false, null, 1000) returning id as k \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select :'org' || '/' || :'cust' || '/msa.txt' as path \gset
insert into storage.objects (bucket_id, name, metadata) values ('contracts', :'path', '{}');
select tests.authenticate_as_service_role();
select public.record_contract_extraction(:'csm', :'cust', :'path', 'test-model',
  array['Auto renewal applies. Notice: 75 days. Fee: 50000. Net 45. Term 12 months.'],
  jsonb_build_array(
    jsonb_build_object('key', 'auto_renew', 'value', true, 'quote', 'Auto renewal applies.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'notice_period_days', 'value', 75, 'quote', 'Notice: 75 days.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'annual_value', 'value', 50000, 'quote', 'Fee: 50000.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'payment_terms', 'value', 'Net 45', 'quote', 'Net 45.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'term_months', 'value', 12, 'quote', 'Term 12 months.', 'page', 1, 'confidence', 0.9)
  )) ->> 'extraction_id' as x \gset
select tests.clear_authentication();

select is((select row(auto_renew, notice_period_days, annual_value)::text from app.contracts where id = :'k'), '(f,,1000.00)',
  'a proposal changes nothing');
select is((select queue_lane::int from app.workflow_executions where customer_id = :'cust' and status = 'queued'), 3, 'the renewal is planned (80 days)');

select tests.authenticate_as('e_viewer');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "auto_renew", "value": true}]')$$, :'x'), '42501', null,
  'a viewer cannot confirm');
select tests.authenticate_as('o_manager');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "auto_renew", "value": true}]')$$, :'x'), 'PT404', null,
  'another organisation does not find the extraction');
select throws_ok(format($$select public.list_contract_extractions(%L)$$, :'cust'), 'PT404', null, 'nor lists it (the customer is not found either)');
select is((select count(*)::int from app.contract_extraction_fields), 0, '... nor reads its fields');

select throws_ok(format($$select app.decide_contract_fields(%L, '[{"key": "auto_renew", "value": true}]')$$, :'x'), 'PT404', null,
  '... nor through the internal function');
select ok(not has_function_privilege('authenticated', 'app.apply_confirmed_contract_fields(uuid, jsonb)', 'execute'),
  'nobody signed in can write a contract through the apply step directly');

select tests.authenticate_as('e_csm');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "notice_period_days", "value": -1}]')$$, :'x'), '22023', null, 'a negative notice is refused');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "end_date", "value": "2027-02-30"}]')$$, :'x'), '22023', null, 'an impossible date is refused');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "currency", "value": "usd"}]')$$, :'x'), '22023', null, 'a currency must be an ISO code');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "colour", "value": "red"}]')$$, :'x'), '22023', null, 'an unknown field is refused');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[{"key": "auto_renew"}]')$$, :'x'), '22023', null, 'a field needs a value or reject');
select throws_ok(format($$select public.confirm_contract_fields(%L, '[]')$$, :'x'), '22023', null, 'an empty list is refused');
select is((select auto_renew from app.contracts where id = :'k'), false, 'refused calls changed nothing');

-- Confirm auto-renew, correct the notice period to 70 days, reject the fee.
select public.confirm_contract_fields(:'x', '[{"key": "auto_renew", "value": true}, {"key": "notice_period_days", "value": 70},
  {"key": "annual_value", "reject": true}, {"key": "payment_terms", "value": "Net 45"}]') as r \gset
select tests.clear_authentication();
select is((select row(auto_renew, notice_period_days, annual_value, terms ->> 'payment_terms')::text from app.contracts where id = :'k'),
  '(t,70,1000.00,"Net 45")', 'confirmed and corrected values reach the contract; the rejected fee does not');
select is((select string_agg(field_key || '=' || status, ',' order by field_key) from app.contract_extraction_fields
            where extraction_id = :'x' and status <> 'proposed'),
  'annual_value=rejected,auto_renew=confirmed,notice_period_days=corrected,payment_terms=confirmed', 'each decision is recorded');
select is((select decided_by from app.contract_extraction_fields where extraction_id = :'x' and field_key = 'auto_renew'), :'csm'::uuid, '... with who decided');
select is((select decision_date from app.customers where id = :'cust'), :'today'::date + 10, 'the decision date follows at once (80 - 70)');
select is((select renewal_stage from app.customers where id = :'cust'), 'Critical', '... and the stage');
select is((select queue_lane::int from app.workflow_executions where customer_id = :'cust' and status = 'queued'), 1, '... and the queue lane: now');
select is((:'r'::jsonb #>> '{customer,decision_date}')::date, :'today'::date + 10, 'the answer shows the new decision date');

-- A confirmed end date moves the renewal date to the next day.
select tests.authenticate_as('e_csm');
select public.confirm_contract_fields(:'x', format('[{"key": "end_date", "value": "%s"}]', (:'today'::date + 199)::text)::jsonb) is not null as r2 \gset
select tests.clear_authentication();
select is((select renewal_date from app.customers where id = :'cust'), :'today'::date + 200, 'a confirmed end date sets the renewal date to the next day');

select * from finish();
rollback;
