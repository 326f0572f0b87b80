-- The same idempotency key replays the stored result and applies nothing again.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.execute_action('create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', 'key-1') as a \gset
select public.execute_action('create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', 'key-1') as b \gset
select is(:'a'::jsonb ->> 'replayed', 'false', 'first call applied');
select is(:'b'::jsonb ->> 'replayed', 'true', 'second call replayed');
select is(:'b'::jsonb ->> 'action_execution_id', :'a'::jsonb ->> 'action_execution_id', 'the same log row');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid' and created_by = :'csm'), 1, 'one task, not two');
select throws_ok(format('select public.execute_action(%L, %L, %L, %L)', 'snooze', :'eid', '{"reason": "x"}', 'key-1'), 'PT409', null, 'the key reused for another action is a conflict');

select * from finish();
rollback;
