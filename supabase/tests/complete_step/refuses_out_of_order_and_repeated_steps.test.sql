-- A pending step, a done step, an unknown step or a queued workflow are refused.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.get_workflow_execution(:'eid') -> 'steps' -> 0 ->> 'key' as k0,
       public.get_workflow_execution(:'eid') -> 'steps' -> 2 ->> 'key' as k2 \gset
select throws_ok(format('select public.complete_step(%L, %L)', :'eid', :'k0'), 'PT409', null, 'a queued workflow: start it first');
select public.start_workflow(:'eid') is not null as s \gset
select throws_ok(format('select public.complete_step(%L, %L)', :'eid', :'k2'), 'PT409', null, 'a later step that has not started');
select public.complete_step(:'eid', :'k0') is not null as c \gset
select throws_ok(format('select public.complete_step(%L, %L)', :'eid', :'k0'), 'PT409', null, 'a completed step');
select throws_ok(format('select public.complete_step(%L, %L)', :'eid', 'nope'), '22023', null, 'an unknown step');

select * from finish();
rollback;
