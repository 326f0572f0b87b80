-- record_contract_extraction keeps a proposal only with a quote found verbatim (spaces and
-- line breaks aside) in the stored text: on its page, or on another page (the page is
-- corrected); a fabricated quote leaves the field empty and flagged. It refuses documents
-- outside the customer's folder, people without the role, and is for the service role only.
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 0, 55, :'today'::date + 80, :'csm') returning id as cust \gset
select :'org' || '/' || :'cust' || '/msa.txt' as path \gset
insert into storage.objects (bucket_id, name, metadata) values ('contracts', :'path', '{}');

select tests.authenticate_as_service_role();
select public.record_contract_extraction(:'csm', :'cust', :'path', 'test-model',
  array['This Agreement renews automatically.', 'Either party may give notice of non-renewal at least sixty (60) days' || E'\n' || 'before the end of the term.'],
  jsonb_build_array(
    jsonb_build_object('key', 'auto_renew', 'value', true, 'quote', 'This Agreement renews automatically.', 'page', 1, 'confidence', 0.9),
    jsonb_build_object('key', 'notice_period_days', 'value', 60, 'quote', 'at least sixty (60) days before the end', 'page', 1, 'confidence', 0.8),
    jsonb_build_object('key', 'annual_value', 'value', 99000, 'quote', 'The annual fee is USD 99,000.', 'page', 2, 'confidence', 0.99),
    jsonb_build_object('key', 'currency', 'value', 'USD', 'quote', '', 'page', 1, 'confidence', 0.5),
    jsonb_build_object('key', 'bogus', 'value', 1, 'quote', 'x', 'page', 1)
  )) as result \gset
select tests.clear_authentication();

create temporary table f on commit drop as
select * from app.contract_extraction_fields where extraction_id = (:'result'::jsonb ->> 'extraction_id')::uuid;

select is((select count(*)::int from f), 10, 'one row per known field; unknown keys ignored');
select is((select proposed_value from f where field_key = 'auto_renew'), 'true'::jsonb, 'a quote on its page is kept');
select is((select proposed_value from f where field_key = 'notice_period_days'), '60'::jsonb, 'a quote across a line break is still verbatim');
select is((select page from f where field_key = 'notice_period_days'), 2, '... and its page is corrected to where it is');
select is((select proposed_value from f where field_key = 'annual_value'), null, 'a fabricated quote leaves the field empty');
select is((select quote from f where field_key = 'annual_value'), null, '... without the quote');
select ok((select quote_discarded from f where field_key = 'annual_value'), '... and says the quote was discarded');
select is((select proposed_value from f where field_key = 'currency'), null, 'a value without a quote is discarded');
select is((select document_text from (select array_to_string(pages, ' ') as document_text from app.contract_extractions
            where id = (:'result'::jsonb ->> 'extraction_id')::uuid) d) like '%sixty (60) days%', true, 'the document text is stored');

select tests.authenticate_as_service_role();
select throws_ok(format($$select public.record_contract_extraction(%L, %L, %L, 'm', array['x'], '[]')$$,
  :'viewer', :'cust', :'path'), '42501', null, 'a viewer cannot have a contract extracted');
select throws_ok(format($$select public.record_contract_extraction(%L, %L, %L, 'm', array['x'], '[]')$$,
  :'other_csm', :'cust', :'path'), '42501', null, 'nor someone of another organisation');
select throws_ok(format($$select public.record_contract_extraction(%L, %L, %L, 'm', array['x'], '[]')$$,
  :'csm', :'cust', :'org' || '/' || :'cust' || '/not-uploaded.pdf'), 'PT404', null, 'a document that is not in the bucket is refused');
select tests.clear_authentication();

select tests.authenticate_as('e_csm');
select throws_ok(format($$select public.record_contract_extraction(%L, %L, %L, 'm', array['x'], '[]')$$,
  :'csm', :'cust', :'path'), '42501', null, 'a signed-in person cannot record an extraction directly');
select is((public.list_contract_extractions(:'cust') -> 0 ->> 'id'), :'result'::jsonb ->> 'extraction_id', 'the csm lists it');
select tests.clear_authentication();

select * from finish();
rollback;
