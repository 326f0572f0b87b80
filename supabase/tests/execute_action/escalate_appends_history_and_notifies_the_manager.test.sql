-- escalate: level checked, reason required, history appended (never overwritten), manager notified.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set metadata = metadata || '{"keep": "me"}' where id = :'eid';
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'escalate', :'eid', '{"level": "president", "reason": "x"}'), '22023', null, 'unknown level');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'escalate', :'eid', '{"level": "manager"}'), '22023', null, 'reason required');
select public.execute_action('escalate', :'eid', '{"level": "vp_cs", "reason": "Budget frozen"}') as x \gset
select is(:'x'::jsonb -> 'execution' ->> 'status', 'escalated', 'status escalated');
select tests.clear_authentication();
select is((select metadata ->> 'keep' from app.workflow_executions where id = :'eid'), 'me', 'earlier metadata is kept');
select is((select metadata -> 'escalations' -> 0 ->> 'level' from app.workflow_executions where id = :'eid'), 'vp_cs', 'the escalation is in its history');
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'escalation' and data ->> 'execution_id' = :'eid'), 1, 'the manager is notified');

select * from finish();
rollback;
