-- withdraw_escalation: only the assignee (with a reason) takes an escalation back; the
-- workflow returns to the status it had; the manager who was told hears of it.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "Champion left"}') is not null as esc \gset
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', ''), '22023', null, 'a reason is required');

select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', 'x'), '42501', null, 'another csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', 'x'), '42501', null, 'a viewer may not');
select tests.authenticate_as('o_csm');
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', 'x'), 'PT404', null, 'another organisation: not found');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', 'x'), '42501',
  'Only its assignee can withdraw an escalation', 'a manager resolves instead of withdrawing');

select tests.authenticate_as('e_csm');
select is(public.withdraw_escalation(:'eid', 'Found a new champion') ->> 'status', 'in_progress', 'back to in_progress');
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', 'x'), 'PT409', null, 'nothing left to withdraw');
select tests.clear_authentication();
select is((select status || ':' || resolution_note from app.workflow_escalations where execution_id = :'eid'),
  'withdrawn:Found a new champion', 'the escalation is withdrawn with the reason');
select is((select metadata -> 'history' -> -1 ->> 'event' from app.workflow_executions where id = :'eid'), 'escalation_withdrawn', 'in the history');
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'escalation_resolved'
            and data ->> 'decision' = 'withdrawn' and data ->> 'execution_id' = :'eid'), 1, 'the manager is told');

-- A snoozed workflow escalated returns to its snooze, or to the queue once it has run out.
select e.id as other from app.workflow_executions e where e.customer_id = :'cust' and e.id <> :'eid' limit 1 \gset
select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'other', '{"reason": "Travelling", "days": 3}') is not null as sn \gset
select public.execute_action('escalate', :'other', '{"reason": "Legal question"}') is not null as esc2 \gset
select is(public.withdraw_escalation(:'other', 'Answered by legal') ->> 'status', 'snoozed', 'back to its snooze');
select tests.clear_authentication();
select ok((select snoozed_until > now() + interval '2 days' from app.workflow_executions where id = :'other'), 'with the same wake time');

select * from finish();
rollback;
