-- A proposal on a workflow that closed reads expired (migration 20261206330000), so it
-- takes no decision (migration 20261208202000): approving or rejecting it is PT409 "This
-- proposal expired", as one past its date is, and the proposal stays undecided (the hourly
-- job marks it expired). Before, a rejection was taken and the proposal that read expired
-- turned rejected, and an approval answered the action's own refusal.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'snooze', '{"days": 3, "reason": "Holiday"}', 'They are away', 'agent', 'test-agent', :'csm')
returning id as pid \gset

select tests.authenticate_as('e_csm');
select lives_ok(format($$ select public.cancel_workflow(%L, 'The customer signed early') $$, :'eid'), 'the workflow is cancelled');
select is(public.list_proposals('all', :'eid') -> 0 ->> 'status', 'expired', 'its proposal reads expired');
select throws_ok(format($$ select public.decide_proposal(%L, false) $$, :'pid'),
                 'PT409', 'This proposal expired: its workflow is cancelled', 'a rejection is refused');
select throws_ok(format($$ select public.decide_proposal(%L, true, idempotency_key => 'k-1') $$, :'pid'),
                 'PT409', 'This proposal expired: its workflow is cancelled', 'so is an approval, in the same words');
select tests.authenticate_as('e_manager');
select throws_ok(format($$ select public.decide_proposal(%L, false) $$, :'pid'),
                 'PT409', 'This proposal expired: its workflow is cancelled', 'for a manager too');
select tests.clear_authentication();
select is((select status from app.action_proposals where id = :'pid'), 'proposed', 'the proposal stays undecided');
select is((select count(*)::int from app.action_executions where execution_id = :'eid'), 0, 'and nothing ran');

select * from finish();
rollback;
