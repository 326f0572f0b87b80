-- Search: a case-insensitive substring of the name or domain, or an exact external id.
-- Wildcards in the search text are taken literally.
begin;
select plan(5);
select tests.create_rls_world();
insert into app.customers (org_id, name, domain, external_id) values
  (tests.org_id('Org A'), 'Northwind Traders', 'northwind.example', 'crm-77'),
  (tests.org_id('Org A'), 'Fabrikam', 'fabrikam.example', 'crm-78'),
  (tests.org_id('Org A'), '100% Juice', null, 'crm-79');

select tests.authenticate_as('viewer_a');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(search => 'WIND', sort => 'name') -> 'items') i),
  array['Northwind Traders'], 'a substring of the name, any case');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(search => 'fabrikam.ex', sort => 'name') -> 'items') i),
  array['Fabrikam'], 'a substring of the domain');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(search => 'crm-78', sort => 'name') -> 'items') i),
  array['Fabrikam'], 'an exact external id');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(search => '0%', sort => 'name') -> 'items') i),
  array['100% Juice'], 'a % in the search is a literal character');
select is(public.list_customers(search => 'no such customer', sort => 'name') -> 'items', '[]'::jsonb, 'no match is an empty page');

select * from finish();
rollback;
