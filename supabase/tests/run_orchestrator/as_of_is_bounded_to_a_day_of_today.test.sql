-- run_orchestrator(as_of): a manager may nudge the run by at most one day of today in
-- the organisation's time zone (across a midnight). "2099" (which superseded every open
-- renewal) or last month is 22023, and nothing is superseded or recorded.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 100, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select count(*)::int as runs_before from app.orchestrator_runs where org_id = :'org' \gset
select string_agg(id::text, ',' order by id) as open_before from app.workflow_executions
 where customer_id = :'cust' and status in ('queued', 'in_progress') \gset
select tests.authenticate_as('e_manager');

select throws_ok($$select public.run_orchestrator('2099-01-01')$$, '22023', null, 'a far future date is refused');
select throws_ok(format($$select public.run_orchestrator((%L::date + 2)::text)$$, :'today'), '22023', null, 'two days ahead is refused');
select throws_ok(format($$select public.run_orchestrator((%L::date - 30)::text)$$, :'today'), '22023', null, 'last month is refused');
select tests.clear_authentication();
select is((select count(*)::int from app.orchestrator_runs where org_id = :'org'), :runs_before, 'no refused run was recorded');
select is((select count(*)::int from app.workflow_executions where customer_id = :'cust' and status = 'superseded'), 0,
  'the open renewal was not superseded');
select is((select string_agg(id::text, ',' order by id) from app.workflow_executions
            where customer_id = :'cust' and status in ('queued', 'in_progress')), :'open_before',
  'the same executions are open as before');
select tests.authenticate_as('e_manager');
select ok(public.run_orchestrator((:'today'::date + 1)::text) ? 'created', 'tomorrow (across a midnight) is accepted');
select ok(public.run_orchestrator((:'today'::date - 1)::text) ? 'created', 'so is yesterday');

select * from finish();
rollback;
