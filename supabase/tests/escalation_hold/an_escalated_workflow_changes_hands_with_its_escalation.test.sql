-- One rule for an escalated workflow that changes hands (docs/escalation-loop.md "Escalated is a
-- hold"): the hold is on the work, not on who holds it. Whatever gives it to someone else — a
-- manager's reassign_workflow, a customer's hand-over, a leaver's hand_over_work — it stays
-- escalated and its open escalation goes with it: the inbox names the new holder, who may
-- withdraw it, and a return decision gives it back to them. Only a decision or a withdrawal
-- ends the hold. Before (until migration 20261211302000) reassign_workflow refused an escalated
-- workflow (PT409 "it is escalated and waits for a decision") while both hand-overs moved it.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select (public.create_workflow_execution(:'cust', 'expansion-proposal') ->> 'id') as eid2 \gset
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "They ask for 30% off"}') is not null as esc \gset
select public.execute_action('escalate', :'eid2', '{"reason": "Who signs this?"}') is not null as esc2 \gset

-- A manager's reassign.
select tests.authenticate_as('e_manager');
select is(public.reassign_workflow(:'eid', :'csm2', 'Casey knows their CFO') ->> 'status', 'escalated',
  'reassign_workflow gives an escalated workflow to someone else, still escalated');
select tests.clear_authentication();
select is((select assignee_id from app.workflow_escalations where execution_id = :'eid' and status = 'open'), :'csm2'::uuid,
  'its open escalation goes with it');
select tests.authenticate_as('e_manager');
select is((select (x -> 'assignee' ->> 'id')::uuid from jsonb_array_elements(public.list_escalations('open')) x
            where x ->> 'execution_id' = :'eid'), :'csm2'::uuid, 'the inbox names the new holder');
select is(public.resolve_escalation(:'eid', 'return', 'Offer 10% for two years') ->> 'status', 'in_progress',
  'a return decision ends the hold …');
select tests.clear_authentication();
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm2'::uuid, '… and gives it back to its holder now');

-- A leaver's hand-over: the same.
select tests.authenticate_as('e_admin');
select public.update_person(:'csm', '{"active": false}') is not null as deactivated \gset
select (public.hand_over_work(:'csm', :'csm2', 'Sam left') -> 'handed_over' ->> 'workflows')::int as moved \gset
select tests.clear_authentication();
select is(:moved, 1, 'hand_over_work moves the leaver''s escalated workflow');
select is((select status || ' ' || assigned_to from app.workflow_executions where id = :'eid2'), 'escalated ' || :'csm2',
  'still escalated, with its new holder');
select is((select assignee_id from app.workflow_escalations where execution_id = :'eid2' and status = 'open'), :'csm2'::uuid,
  'its open escalation goes with it');
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid2', '{"days": 3, "reason": "later"}'),
  'PT409', null, 'the hold stays: the new holder cannot act on it …');
select is(public.withdraw_escalation(:'eid2', 'I will ask the CFO myself') ->> 'status', 'queued',
  '… but may withdraw it, as its holder');
select tests.clear_authentication();

-- Closed work does not change hands either way.
update app.workflow_executions set status = 'cancelled' where id = :'eid2';
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid2', :'manager', 'x'), 'PT409', null,
  'a closed workflow is not reassigned');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_escalations where status = 'open'), 0, 'no escalation is left open behind');

select * from finish();
rollback;
