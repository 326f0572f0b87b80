-- Approving runs the action through execute_action with the approver as actor, links the
-- action log, applies once (a replay with the same key returns the stored outcome; the same
-- key with other params is a conflict), and edited params are the ones executed.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'snooze', '{"days": 3, "reason": "Holiday"}', 'They are away', 'agent', 'test-agent', :'csm')
returning id as pid \gset

select tests.authenticate_as('e_manager');
select public.decide_proposal(:'pid', true, '{"days": 5, "reason": "Holiday"}', 'decide-1') as d \gset
select is(:'d'::jsonb -> 'proposal' ->> 'status', 'approved', 'the proposal is approved');
select is(:'d'::jsonb -> 'action' -> 'execution' ->> 'status', 'snoozed', 'the action ran');
select is(:'d'::jsonb -> 'proposal' ->> 'action_execution_id', :'d'::jsonb -> 'action' ->> 'action_execution_id', 'the action log is linked');
select is((select executed_by from app.action_executions where id = (:'d'::jsonb -> 'action' ->> 'action_execution_id')::uuid),
  :'manager'::uuid, 'the approver is the actor');
select is((select (params ->> 'days')::int from app.action_executions where id = (:'d'::jsonb -> 'action' ->> 'action_execution_id')::uuid),
  5, 'the edited params were executed');
select is(:'d'::jsonb -> 'proposal' -> 'decided_params' ->> 'days', '5', 'and recorded on the proposal');

select public.decide_proposal(:'pid', true, '{"days": 5, "reason": "Holiday"}', 'decide-1') as r \gset
select is((:'r'::jsonb ->> 'replayed')::boolean, true, 'the same decision with the same key replays');
select is(:'r'::jsonb -> 'action' ->> 'action_execution_id', :'d'::jsonb -> 'action' ->> 'action_execution_id', 'with the same log row');
select throws_ok(format('select public.decide_proposal(%L, false)', :'pid'), 'PT409', null, 'a decided proposal cannot be decided again');
select throws_ok(format('select public.decide_proposal(%L, true, %L, %L)', :'pid', '{"days": 9, "reason": "Holiday"}', 'decide-1'),
  'PT409', 'this key was used for a different request', 'the same key with other params is a conflict, not a replay');
select throws_ok(format('select public.decide_proposal(%L, true, null, %L)', :'pid', 'decide-1'),
  'PT409', 'this key was used for a different request', 'and so is the same key without the edited params');
select tests.clear_authentication();
select is((select count(*)::int from app.action_executions where execution_id = :'eid' and action_key = 'snooze'), 1, 'applied once');

select * from finish();
rollback;
