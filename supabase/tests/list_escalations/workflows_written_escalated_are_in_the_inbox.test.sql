-- A workflow written escalated without execute_action (a seed, an import) still has its
-- open escalation, taken from its history: it is in the inbox and can be decided.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.clear_authentication();
update app.workflow_executions
   set status = 'escalated', started_at = now(),
       metadata = metadata || jsonb_build_object('history', metadata -> 'history' || '[{"event": "escalated", "level": "vp_cs", "reason": "Imported from the old CRM"}]'::jsonb)
 where id = :'eid';
select is((select reason || ':' || level || ':' || from_status from app.workflow_escalations where execution_id = :'eid' and status = 'open'),
  'Imported from the old CRM:vp_cs:in_progress', 'its escalation is opened from its history');
select is((select manager_id::text from app.workflow_escalations where execution_id = :'eid'), :'manager', 'addressed to the assignee''s manager');
select tests.authenticate_as('e_manager');
select is((select count(*)::int from jsonb_array_elements(public.list_escalations()) x where x ->> 'execution_id' = :'eid'), 1, 'it is in the inbox');
select is(public.resolve_escalation(:'eid', 'return', 'Carry on') ->> 'status', 'in_progress', 'and can be decided');
-- execute_action's own escalation is recorded once.
select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Again"}') is not null as esc \gset
select is((select count(*)::int from app.workflow_escalations where execution_id = :'eid'), 2, 'one row per escalation, none added twice');

select * from finish();
rollback;
