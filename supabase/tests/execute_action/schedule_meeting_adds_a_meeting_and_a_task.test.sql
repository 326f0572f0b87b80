-- schedule_meeting: duration 15/30/45/60, a date required; adds a meeting and a schedule_meeting task.
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
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid', '{"scheduled_at": "2030-01-01T10:00:00Z", "duration_minutes": 20}'), '22023', null, '20 minutes refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid', '{"duration_minutes": 30}'), '22023', null, 'a date is required');
select public.execute_action('schedule_meeting', :'eid', '{"scheduled_at": "2030-01-01T10:00:00Z", "attendees": ["cfo@contoso.example"]}') as x \gset
select is((:'x'::jsonb -> 'result' ->> 'duration_minutes')::int, 30, 'default 30 minutes');
select is((select task_type from app.workflow_tasks where id = (:'x'::jsonb -> 'result' ->> 'task_id')::uuid), 'schedule_meeting', 'a schedule_meeting task');
select is((select attendees from app.workflow_meetings where execution_id = :'eid'), array['cfo@contoso.example'], 'the meeting with its attendees');

select * from finish();
rollback;
