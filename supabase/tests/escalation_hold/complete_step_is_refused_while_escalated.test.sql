-- complete_step refuses a step of an escalated workflow (the hold, for every caller).
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
select public.execute_action('escalate', :'eid', '{"reason": "Need a discount approval"}') is not null as esc \gset
select throws_ok(format('select public.complete_step(%L, (select current_step_key from app.workflow_executions where id = %L))', :'eid', :'eid'),
  'PT409', null, 'the assignee cannot complete a step while escalated');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.complete_step(%L, (select current_step_key from app.workflow_executions where id = %L))', :'eid', :'eid'),
  'PT409', null, 'nor can a manager');

select * from finish();
rollback;
