-- A contract document read twice (or replaced under its name) is in the customer's history
-- once, as last read; another document of the customer keeps its own passage; both
-- extractions stay.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 0, 55, :'today'::date + 80, :'csm') returning id as cust \gset
select :'org' || '/' || :'cust' || '/msa.txt' as path \gset
select :'org' || '/' || :'cust' || '/order-form.txt' as other \gset
insert into storage.objects (bucket_id, name, metadata) values ('contracts', :'path', '{}'), ('contracts', :'other', '{}');

select tests.authenticate_as_service_role();
select public.record_contract_extraction(:'csm', :'cust', :'other', 'test-model',
  array['Order form: 40 seats of the Growth plan.'], '[]') ->> 'extraction_id' as other_x \gset
select public.record_contract_extraction(:'csm', :'cust', :'path', 'test-model',
  array['This Agreement renews automatically for twelve months.'], '[]') ->> 'extraction_id' as first_x \gset
select public.record_contract_extraction(:'csm', :'cust', :'path', 'test-model',
  array['This Agreement renews automatically for twenty-four months.'], '[]') ->> 'extraction_id' as second_x \gset
select tests.clear_authentication();

select is((select count(*)::int from app.customer_history_passages
            where customer_id = :'cust' and source_kind = 'contract' and title = 'Contract document msa.txt'), 1,
  'the document read twice is in the history once');
select is((select body from app.customer_history_passages where source_kind = 'contract' and source_id = :'second_x'),
  'This Agreement renews automatically for twenty-four months.', 'as it was last read');
select is((select count(*)::int from app.customer_history_passages where source_kind = 'contract' and source_id = :'first_x'), 0,
  'the earlier reading left it');
select is((select count(*)::int from app.customer_history_passages where source_kind = 'contract' and source_id = :'other_x'), 1,
  'another document of the customer keeps its passage');
select is((select count(*)::int from app.contract_extractions where customer_id = :'cust'), 3, 'every extraction stays');
select * from finish();
rollback;
