-- A step's refusal names steps by their titles, as the page shows them (migration
-- 20261206272000): a step done already, and one that has not started with the current
-- step it waits for; never by their keys.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select x -> 'steps' -> 0 ->> 'key' as k0, x -> 'steps' -> 0 ->> 'title' as t0,
       x -> 'steps' -> 1 ->> 'title' as t1,
       x -> 'steps' -> 2 ->> 'key' as k2, x -> 'steps' -> 2 ->> 'title' as t2
  from public.get_workflow_execution(:'eid') x \gset
select public.start_workflow(:'eid') is not null as s \gset
select public.complete_step(:'eid', :'k0') is not null as c \gset

select throws_ok(format('select public.complete_step(%L, %L)', :'eid', :'k0'), 'PT409',
  format('Cannot complete step "%s": it is already completed', :'t0'), 'a step done already is named by its title');
select throws_ok(format('select public.complete_step(%L, %L)', :'eid', :'k2'), 'PT409',
  format('Cannot complete step "%s": it has not started; the current step is "%s"', :'t2', :'t1'),
  'a step not started, and the current one, by their titles');
select isnt(:'t0'::text, :'k0'::text, 'the title is not the key (the check above could not pass on a key)');

select * from finish();
rollback;
