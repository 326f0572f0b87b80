-- close: the workflow is cancelled with the manager's reason; its csm is told.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "They want to cancel"}') is not null as esc \gset
select tests.authenticate_as('e_manager');
select is(public.resolve_escalation(:'eid', 'close', 'Churn confirmed by their CEO') ->> 'status', 'cancelled', 'cancelled');
select tests.clear_authentication();
select is((select outcome ->> 'reason' from app.workflow_executions where id = :'eid'), 'Churn confirmed by their CEO', 'with the reason');
select is((select status from app.workflow_escalations where execution_id = :'eid'), 'closed', 'the escalation is closed');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'escalation_resolved' and data ->> 'decision' = 'close'),
  1, 'its csm is told');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.start_workflow(%L)', :'eid'), 'PT409', null, 'a closed workflow stays closed');

select * from finish();
rollback;
