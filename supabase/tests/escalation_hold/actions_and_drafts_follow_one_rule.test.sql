-- One rule for what a workflow accepts (app.require_workflow_accepts, migration
-- 20261205225500): while it is escalated nobody, not even a manager, adds a task to it,
-- proposes an action on it, forecasts its renewal or records its outcome (PT409, as the
-- actions are refused); drafting text for later stays allowed. Once it is closed it takes
-- neither a task nor a draft, so no completed workflow holds a pending task it does not
-- show. A task for the customer alone is not work on the workflow and stays allowed.
begin;
select plan(26);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.act_as_agent('Claude'); -- its agent draft is the MCP server's call (migration 20261214500100)
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "Procurement blocks the renewal"}') is not null as esc \gset

-- Escalated: the actions' own paths are refused like the actions.
select throws_ok(format('select public.create_task(%L, %L, execution_id => %L, due_date => %L)', 'Call', :'cust', :'eid', '2030-01-01'),
  'PT409', 'Cannot add a task to this workflow: it is escalated and on hold', 'create_task on an escalated workflow is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"title": "Call", "due_date": "2030-01-01"}'),
  'PT409', null, 'as the create_task action is');
select throws_ok(format('select public.set_renewal_forecast(%L, %L)', :'eid', 'commit'),
  'PT409', 'Cannot forecast this workflow: it is escalated and on hold', 'no forecast while escalated');
select throws_ok(format('select public.record_renewal_outcome(%L, %L)', :'eid', 'renewed'),
  'PT409', 'Cannot record the outcome of this workflow: it is escalated and on hold', 'as no outcome is recorded');
select throws_ok(format('select public.propose_action(%L, %L, %L, %L)', 'snooze', 'Wait for procurement', '{"reason": "later"}', :'eid'),
  'PT409', 'Cannot propose an action on this workflow: it is escalated and on hold', 'no proposal to act');
select is((select (i ->> 'on_hold')::boolean
             from jsonb_array_elements(public.get_renewal_forecast((:'today'::date - 1)::text, (:'today'::date + 60)::text) -> 'items') i
            where i ->> 'execution_id' = :'eid'), true, 'the forecast says the renewal is on hold, so no one is offered to change it');
select lives_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'eid', 'email_draft', 'Follow-up', '{"body": "Hi"}'),
  'drafting text for later stays allowed');
select lives_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call procurement', :'cust', '2030-01-01'),
  'a task for the customer alone is not work on the workflow');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.create_task(%L, %L, execution_id => %L, due_date => %L)', 'Call', :'cust', :'eid', '2030-01-01'),
  'PT409', null, 'a manager adds no task either');
select throws_ok(format('select public.set_renewal_forecast(%L, %L)', :'eid', 'at_risk'), 'PT409', null, 'nor forecasts');
select throws_ok(format('select public.record_renewal_outcome(%L, %L)', :'eid', 'churned'), 'PT409', null, 'nor records an outcome');
select tests.authenticate_as_service_role();
select throws_ok(format('select public.propose_action(%L, %L, %L, %L, author_id => %L, source => %L)',
                        'snooze', 'Wait', '{"reason": "later"}', :'eid', :'csm', 'brief'),
  'PT409', null, 'nor does the assistant propose for them');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid'), 0, 'no task was added to the workflow');
select is((select count(*)::int from app.action_proposals where execution_id = :'eid'), 0, 'no proposal was stored');
select is((select count(*)::int from app.renewal_forecasts where execution_id = :'eid'), 0, 'no forecast was set');
select is((select status from app.workflow_executions where id = :'eid'), 'escalated', 'still escalated');

-- Withdrawn: the same calls work again.
select tests.authenticate_as('e_csm');
select public.withdraw_escalation(:'eid', 'Procurement signed') is not null as w \gset
select lives_ok(format('select public.set_renewal_forecast(%L, %L)', :'eid', 'commit'), 'after the hold the CSM forecasts');
select is((select (i ->> 'on_hold')::boolean
             from jsonb_array_elements(public.get_renewal_forecast((:'today'::date - 1)::text, (:'today'::date + 60)::text) -> 'items') i
            where i ->> 'execution_id' = :'eid'), false, 'and it is no longer on hold');
select lives_ok(format('select public.create_task(%L, %L, execution_id => %L, due_date => %L)', 'Send the order form', :'cust', :'eid', '2030-01-01'),
  'and adds a task to the workflow');
select tests.clear_authentication();
update app.workflow_tasks set status = 'completed', completed_at = now() where execution_id = :'eid';

-- Closed: neither work nor drafts.
select tests.authenticate_as('e_csm');
select public.complete_workflow(:'eid', '{}', true, 'Signed early') ->> 'status' as closed_status \gset
select ok(:'closed_status' not in ('queued', 'in_progress', 'snoozed', 'escalated'), 'the workflow is closed');
select throws_ok(format('select public.create_task(%L, %L, execution_id => %L, due_date => %L)', 'Late call', :'cust', :'eid', '2030-01-01'),
  'PT409', null, 'a closed workflow takes no new task');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'eid', 'email_draft', 'Late', '{"body": "Hi"}'),
  'PT409', null, 'nor a draft');
select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L, %L)', :'eid', 'email_draft', 'Late', '{"body": "Hi"}', 'Claude'),
  'PT409', null, 'nor an agent''s draft');
select throws_ok(format('select public.propose_action(%L, %L, %L, %L)', 'snooze', 'Later', '{"reason": "later"}', :'eid'),
  'PT409', null, 'nor a proposal');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid' and status in ('pending', 'in_progress', 'snoozed')), 0,
  'the closed workflow holds no pending task');
select is((select status from app.workflow_executions where id = :'eid'), :'closed_status', 'and keeps the status it closed with');

select * from finish();
rollback;
