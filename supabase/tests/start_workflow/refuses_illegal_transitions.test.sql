-- Starting an in-progress or completed workflow is PT409 naming why.
begin;
select plan(2);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select throws_ok(format('select public.start_workflow(%L)', :'eid'), 'PT409', 'Cannot start this workflow: it is already in progress', 'in progress -> start refused');
select public.complete_step(:'eid', (select current_step_key from app.workflow_executions where id = :'eid')) is not null as step \gset
select public.complete_workflow(:'eid', '{}', true, 'Handled on a call') is not null as c \gset
select throws_ok(format('select public.start_workflow(%L)', :'eid'), 'PT409', 'Cannot start this workflow: it is already completed', 'completed -> start refused');

select * from finish();
rollback;
