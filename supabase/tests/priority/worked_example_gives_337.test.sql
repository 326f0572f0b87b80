-- The worked example of docs/business-rules.md: Emergency, ARR 180 000, invest, senior CSM with 5 active workflows -> 337, every factor by name.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select is((app.calculate_priority('renewal', 90, 'Emergency', 180000, 'invest', null, null, 'senior', 5) ->> 'score')::int, 337, 'the formula gives 337');

-- The same situation as real rows: five other executions of the senior CSM in progress.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
select :'org', 'Busy ' || g, 1000, 55, null, :'csm' from generate_series(1, 5) g;
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, started_at, total_steps)
select :'org', c.id, w.workflow_id, w.version_id, :'csm', 'in_progress', now(), w.total_steps
  from app.customers c, app.effective_workflows(:'org') w
 where c.name like 'Busy %' and w.key = 'risk-intervention';
-- What the CSM sees: the stored score before the workload term, with their five active
-- workflows applied when read.
select tests.authenticate_as('e_csm');
select (x ->> 'priority_score')::int as score, x -> 'priority_factors' as f
  from public.get_workflow_execution(:'eid') x \gset
select tests.clear_authentication();
select is((select priority_score::int from app.workflow_executions where id = :'eid'), 347,
          'stored before the workload term: 346.5 rounds to 347');
select is(:score, 337, 'the Emergency execution of that customer scores 337');
select is((:'f'::jsonb ->> 'base')::numeric, 90::numeric, 'base is the Emergency urgency');
select is((:'f'::jsonb ->> 'stage_bonus')::numeric, 15::numeric, 'stage bonus 15');
select is((:'f'::jsonb ->> 'arr_mult')::numeric, 2.0, 'arr_mult 2.0');
select is((:'f'::jsonb ->> 'plan_mult')::numeric, 1.5, 'plan_mult 1.5 (invest)');
select is((:'f'::jsonb ->> 'experience_mult')::numeric, 1.1, 'experience_mult 1.1 (senior)');
select is((:'f'::jsonb ->> 'active_workflows')::int, 5, 'five active workflows');
select is((:'f'::jsonb ->> 'raw_score')::numeric, 336.5, 'raw score 336.5 before rounding');

select * from finish();
rollback;
