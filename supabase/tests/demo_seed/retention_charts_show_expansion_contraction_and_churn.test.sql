-- The demo's ARR history makes the Forecast page's retention charts mean something: over
-- the last twelve full months Acme has months with expansion, contraction and churn, a
-- new customer is left out of periods that start before it, and the figures are sane.
-- As Acme's manager (the demo people have no test identifier: claims set by hand).
begin;
select plan(6);
select set_config('request.jwt.claims', jsonb_build_object('sub', p.id, 'role', 'authenticated')::text, true)
  from app.profiles p join app.organisations o on o.id = p.org_id
 where o.slug = 'acme-cloud' and p.role = 'manager' limit 1;
set local role authenticated;
select (date_trunc('month', app.organisation_today(app.current_org_id())) - interval '12 months')::date as p0,
       date_trunc('month', app.organisation_today(app.current_org_id()))::date as p1 \gset
select public.get_retention_metrics(:'p0', :'p1') as r \gset

select is(jsonb_array_length(:'r'::jsonb -> 'series'), 12, 'twelve months');
select ok((select bool_or((x ->> 'expansion')::numeric > 0) from jsonb_array_elements(:'r'::jsonb -> 'series') x), 'some month has expansion');
select ok((select bool_or((x ->> 'contraction')::numeric > 0) from jsonb_array_elements(:'r'::jsonb -> 'series') x), 'some month has contraction');
select ok((select bool_or((x ->> 'churn')::numeric > 0) from jsonb_array_elements(:'r'::jsonb -> 'series') x), 'some month has churn (Alpine Ski House)');
select ok((:'r'::jsonb ->> 'grr')::numeric between 0.5 and 1 and (:'r'::jsonb ->> 'nrr')::numeric between 0.8 and 1.5,
  'GRR and NRR of the year are plausible');
select ok((:'r'::jsonb ->> 'customers')::int between 20 and 25, 'the year''s cohort leaves out the customers who started during it');

select * from finish();
rollback;
