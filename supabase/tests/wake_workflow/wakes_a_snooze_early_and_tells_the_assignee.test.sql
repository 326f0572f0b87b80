-- wake_workflow: its CSM or a manager ends a snooze early (back to queued or in_progress);
-- a manager's wake tells the CSM, the CSM's own does not; the orchestrator's wake at the
-- end of a snooze tells them too. Only snoozed workflows wake; others may not wake it.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select e.id as other from app.workflow_executions e where e.customer_id = :'cust' and e.id <> :'eid' limit 1 \gset
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.wake_workflow(%L)', :'eid'), 'PT409', null, 'a queued workflow is not asleep');
select public.execute_action('snooze', :'eid', '{"reason": "Customer on holiday", "days": 5}') is not null as sn \gset
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.wake_workflow(%L)', :'eid'), '42501', null, 'another csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.wake_workflow(%L)', :'eid'), '42501', null, 'a viewer may not');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.wake_workflow(%L)', :'eid'), 'PT404', null, 'another organisation: not found');
select tests.authenticate_as('e_csm');
select is(public.wake_workflow(:'eid') ->> 'status', 'queued', 'never started: back to queued');
select tests.clear_authentication();
select is((select metadata -> 'history' -> -1 ->> 'event' from app.workflow_executions where id = :'eid'), 'woken', 'in the history');
select is((select count(*)::int from app.notifications where notification_type = 'workflow_woken' and data ->> 'execution_id' = :'eid'),
  0, 'waking your own workflow tells nobody');

select tests.authenticate_as('e_csm');
select public.start_workflow(:'other') is not null as st \gset
select public.execute_action('snooze', :'other', '{"reason": "Waiting for legal", "days": 5}') is not null as sn2 \gset
select tests.authenticate_as('e_manager');
select is(public.wake_workflow(:'other') ->> 'status', 'in_progress', 'started before: back to in_progress');
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'workflow_woken'
            and data ->> 'execution_id' = :'other' and (data ->> 'early')::boolean), 1, 'a manager''s wake tells the csm');

-- The orchestrator wakes a snooze that has run out, and tells the csm.
select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'eid', '{"reason": "Later", "days": 1}') is not null as sn3 \gset
select tests.clear_authentication();
update app.workflow_executions set snoozed_until = now() - interval '1 minute' where id = :'eid';
select app.run_orchestrator_for_org(:'org') is not null as ran2 \gset
select is((select status from app.workflow_executions where id = :'eid'), 'queued', 'the orchestrator woke it');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'workflow_woken'
            and data ->> 'execution_id' = :'eid' and not (data ->> 'early')::boolean), 1, 'and the csm is told its snooze ended');

select * from finish();
rollback;
