-- complete_workflow: completed, or with pending tasks; queued refused.
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
select throws_ok(format('select public.complete_workflow(%L)', :'eid'), 'PT409', null, 'a queued workflow cannot be completed');
select public.start_workflow(:'eid') ->> 'current_step' is not null as s \gset
select public.complete_step(:'eid', (select current_step_key from app.workflow_executions where id = :'eid')) is not null as done \gset
select is(public.complete_workflow(:'eid', '{"result": "renewed"}', true, 'Agreed on the call') ->> 'status', 'completed', 'no open task: completed');
select e.id as other from app.workflow_executions e where e.customer_id = :'cust' and e.id <> :'eid' limit 1 \gset
select tests.clear_authentication();
insert into app.workflow_tasks (org_id, customer_id, execution_id, title, assigned_to) values (:'org', :'cust', :'other', 'Open', :'csm');
select tests.authenticate_as('e_csm');
select public.start_workflow(:'other') is not null as s2 \gset
select public.complete_step(:'other', (select current_step_key from app.workflow_executions where id = :'other')) is not null as done2 \gset
select is(public.complete_workflow(:'other', '{}', true, 'Agreed on the call') ->> 'status', 'completed_with_pending_tasks', 'an open task: completed_with_pending_tasks');

select * from finish();
rollback;
