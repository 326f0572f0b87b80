-- An escalated workflow is a hold: its CSM can still read and chat, but cannot run an
-- action (not even escalate again), restart it (start_workflow no longer clears an
-- escalation), complete or cancel it; a manager cannot act around the decision either.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "Procurement blocks the renewal"}') ->> 'action_execution_id' as log_id \gset
select is((select status from app.workflow_escalations where execution_id = :'eid'), 'open', 'an open escalation row');
select is((select from_status from app.workflow_escalations where execution_id = :'eid'), 'in_progress', 'it remembers the status it had');
select is((select action_execution_id::text from app.workflow_escalations where execution_id = :'eid'), :'log_id', 'and the action that opened it');

select throws_ok(format('select public.start_workflow(%L)', :'eid'), 'PT409',
  'Cannot start this workflow: it is escalated and waits for a decision', 'start_workflow no longer clears an escalation');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"reason": "later"}'), 'PT409',
  'Cannot run "Snooze Workflow" on this workflow: it is escalated and waits for a decision', 'no action while escalated');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'escalate', :'eid', '{"reason": "again"}'), 'PT409', null, 'no second escalation');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'skip', :'eid', '{"reason": "Not applicable"}'), 'PT409', null, 'no skipping a step');
select throws_ok(format('select public.complete_workflow(%L, %L, true, %L)', :'eid', '{}', 'x'), 'PT409', null, 'no completing');
select lives_ok(format('select public.create_chat_thread(%L, (select current_step_key from app.workflow_executions where id = %L))', :'eid', :'eid'),
  'the csm can still chat');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"reason": "later"}'), 'PT409', null, 'a manager decides instead of acting around it');
select tests.clear_authentication();
select is((select status from app.workflow_executions where id = :'eid'), 'escalated', 'still escalated');

select * from finish();
rollback;
