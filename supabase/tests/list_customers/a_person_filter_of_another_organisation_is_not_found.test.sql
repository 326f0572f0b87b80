-- list_customers filtered by a person of another organisation, or by an id that never
-- existed, answers PT404 "Person not found" with the same words for both, as list_tasks'
-- person filter does; a colleague of the caller's organisation filters as before.
-- (Migration 20261206257000.)
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm2');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.list_customers(filters => %L)', jsonb_build_object('assignee_id', :'other_csm')),
  'PT404', 'Person not found', 'a person of another organisation is not found');
select throws_ok(format('select public.list_customers(filters => %L)', jsonb_build_object('assignee_id', gen_random_uuid())),
  'PT404', 'Person not found', 'the same answer as for an id that never existed');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.list_tasks(filters => %L)', jsonb_build_object('assignee_id', :'other_csm')),
  'PT404', 'Person not found', 'as list_tasks answers a manager');
select tests.authenticate_as('e_csm');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(filters => jsonb_build_object('assignee_id', :'csm2')) -> 'items') i),
  array['Contoso'], 'a colleague''s customers are listed as before');
select * from finish();
rollback;
