-- return: the workflow goes back to its assignee in the status it had, first in their
-- queue (lane now), with the guidance in its history and a notification; they continue.
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "Customer asks for 30% off"}') is not null as esc \gset
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'eid', 'return', 'Offer 10% for a two-year term') as r \gset
select is(:'r'::jsonb ->> 'status', 'in_progress', 'back to in_progress');
select tests.clear_authentication();
select is((select status || ':' || resolution_note || ':' || (resolved_by = :'manager')::text from app.workflow_escalations where execution_id = :'eid'),
  'returned:Offer 10% for a two-year term:true', 'the escalation is returned, with the note and who decided');
select is((select metadata -> 'history' -> -1 ->> 'decision' from app.workflow_executions where id = :'eid'), 'return', 'the decision is in the history');
select ok((select metadata ? 'handed_back_at' from app.workflow_executions where id = :'eid'), 'marked handed back');
select is((select queue_lane::int from app.workflow_executions where id = :'eid'), 1, 'lane now');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'escalation_resolved'
            and data ->> 'decision' = 'return' and body = 'Offer 10% for a two-year term'), 1, 'the csm gets the guidance');
select tests.authenticate_as('e_csm');
select lives_ok(format('select public.complete_step(%L, (select current_step_key from app.workflow_executions where id = %L))', :'eid', :'eid'),
  'the csm continues where they were');
select lives_ok(format('select public.execute_action(%L, %L, %L)', 'escalate', :'eid', '{"reason": "Still blocked"}'), 'and may escalate again');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_escalations where execution_id = :'eid'), 2, 'each escalation is its own row');

select * from finish();
rollback;
