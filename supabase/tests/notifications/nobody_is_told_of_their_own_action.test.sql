-- Who is told of an escalation (docs/escalation-loop.md "Notifications"): the assignee's
-- manager, unless she escalated it herself; the assignee, when someone else escalated their
-- work; never the person who pressed. A withdrawal by the one who escalated someone else's work
-- tells its assignee the hold is over. A task handed to oneself tells nobody. Before (until
-- migration 20261208600000) a manager escalating her CSM's workflow got "Escalated to you"
-- for her own press and the CSM heard nothing; a task reassigned to oneself notified oneself.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select public.start_workflow(:'eid') is not null as s \gset

-- The CSM's manager escalates the CSM's workflow.
select tests.authenticate_as('e_manager');
select public.execute_action('escalate', :'eid', '{"reason": "Their CFO wrote to me directly"}') as esc \gset
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'manager'), 0,
  'the manager who escalated is not told of her own press');
select is((select title || ' | ' || body from app.notifications where user_id = :'csm' and notification_type = 'escalation'),
  'On hold, escalated by E Manager: Risk Intervention for Fabrikam | Their CFO wrote to me directly',
  'the assignee is told their work is on hold, by whom and why');
select is((:'esc'::jsonb -> 'side_effects' -> 0 ->> 'status') || ': ' || (:'esc'::jsonb -> 'side_effects' -> 0 ->> 'error'),
  'skipped: You are the assignee''s manager', 'the manager''s notice is reported skipped, saying why');

-- She withdraws it: the assignee learns the hold is over; she is told nothing.
select tests.authenticate_as('e_manager');
select public.withdraw_escalation(:'eid', 'Settled it with the CFO') is not null as w \gset
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'escalation_resolved'
            and data ->> 'decision' = 'withdrawn' and body = 'Settled it with the CFO'), 1,
  'the assignee learns the escalation was withdrawn');
select is((select count(*)::int from app.notifications where user_id = :'manager'), 0, 'the manager still has nothing');

-- An admin escalates it: the manager is told, the assignee too, the admin not.
select tests.authenticate_as('e_admin');
select public.execute_action('escalate', :'eid', '{"reason": "Board asked"}') as esc2 \gset
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'escalation'
            and title like 'Escalated to you:%'), 1, 'an admin''s escalation: the manager is told');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'escalation'), 2,
  'and the assignee');
select is((select count(*)::int from app.notifications where user_id = :'admin'), 0, 'the admin is told nothing');
select is(:'esc2'::jsonb -> 'side_effects' -> 0 ->> 'status', 'delivered', 'the manager''s notice is delivered');
select tests.authenticate_as('e_admin');
select public.resolve_escalation(:'eid', 'return', 'Go ahead') is not null as r \gset

-- The CSM escalates their own work: their manager is told, they are not.
select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Still blocked"}') is not null as esc3 \gset
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'escalation'), 2,
  'a CSM escalating their own work is not told of it');
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'escalation'), 2,
  'their manager is');

-- A manager hands a task to herself: nobody is told.
select tests.authenticate_as('e_csm');
select public.create_task('Call the CFO', :'cust', due_date => (now() + interval '2 days')::text) ->> 'id' as task \gset
select tests.authenticate_as('e_manager');
select public.act_on_task(:'task', 'reassign', jsonb_build_object('assignee_id', :'manager', 'reason', 'I know the CFO')) is not null as t \gset
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'task_reassigned'), 0,
  'a task handed to oneself tells nobody');

select * from finish();
rollback;
