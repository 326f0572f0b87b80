-- A deactivated person's open work is listed again after the deactivation's own answer
-- (get_person_open_work, docs/admin.md "Deactivating someone"), for an admin or manager to
-- hand it over: the same list update_person answered. Before, nothing listed it again, so an
-- admin who had closed the dialog could no longer hand it over from Admin → People.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select public.create_task('Call the CFO', :'cust', execution_id => :'eid', due_date => '2031-01-20T17:00:00Z') ->> 'id' as task \gset
select tests.authenticate_as('e_admin');
select public.update_person(:'csm', '{"active": false}') -> 'open_work' as answered \gset

select is(public.get_person_open_work(:'csm'), :'answered'::jsonb,
  'an admin gets the open work the deactivation answered with');
select is(jsonb_array_length(public.get_person_open_work(:'csm') -> 'executions'), 1, 'it lists their open workflow');
select tests.authenticate_as('e_manager');
select is(public.get_person_open_work(:'csm'), :'answered'::jsonb, 'a manager gets it too');
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.get_person_open_work(%L)', :'csm'), '42501', null,
  'a CSM does not');
select tests.authenticate_as('e_admin');
select throws_ok(format('select public.get_person_open_work(%L)', :'other_csm'), 'PT404', 'Person not found',
  'another organisation''s person is not found');
select tests.authenticate_as_anon();
select throws_ok(format('select public.get_person_open_work(%L)', :'csm'), '42501', null,
  'nobody signed out may ask');

select * from finish();
rollback;
