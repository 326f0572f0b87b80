-- snooze: 1-30 days with a reason; 0, 31 and 1e10 refused; default 7.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 0, "reason": "x"}'), '22023', null, '0 days refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 31, "reason": "x"}'), '22023', null, '31 days refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 1e10, "reason": "x"}'), '22023', 'days must be between 1 and 30', '1e10 days is out of range, not an overflow');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 3}'), '22023', 'reason is required to snooze a workflow', 'a reason is required');
select public.execute_action('snooze', :'eid', '{"reason": "waiting on legal"}') as x \gset
select is(:'x'::jsonb -> 'execution' ->> 'status', 'snoozed', 'status snoozed');
select ok((:'x'::jsonb -> 'execution' ->> 'snoozed_until')::timestamptz between now() + interval '7 days' - interval '1 minute' and now() + interval '7 days' + interval '1 minute', 'default 7 days');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 2, "reason": "x"}'), 'PT409', null, 'snoozing a snoozed workflow is a conflict');

select * from finish();
rollback;
