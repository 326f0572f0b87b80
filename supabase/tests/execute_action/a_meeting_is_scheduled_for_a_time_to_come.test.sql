-- Schedule Meeting makes a meeting to come: one that ended before now is refused (22023,
-- nothing written), one under way or later is taken (migration 20261207003000).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select to_char((now() at time zone 'UTC') - interval '10 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as under_way,
       to_char((now() at time zone 'UTC') + interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as tomorrow \gset
select to_char((now() at time zone 'UTC') - interval '2 hours', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ended \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
                        jsonb_build_object('scheduled_at', '2020-01-01T10:00:00Z', 'attendees', '[]'::jsonb)),
                 '22023', 'scheduled_at is in the past: a meeting is scheduled for a time to come',
                 'a meeting on 1 January 2020 is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
                        jsonb_build_object('scheduled_at', :'ended', 'duration_minutes', 30, 'attendees', '[]'::jsonb)),
                 '22023', null, 'a 30-minute meeting that started two hours ago is refused');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_meetings where execution_id = :'eid'), 0, 'nothing was written');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid' and task_type = 'schedule_meeting'), 0, '... no task either');

select tests.authenticate_as('e_csm');
select lives_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
                       jsonb_build_object('scheduled_at', :'under_way', 'duration_minutes', 30, 'attendees', '[]'::jsonb)),
                'a 30-minute meeting that started ten minutes ago is taken');
select lives_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
                       jsonb_build_object('scheduled_at', :'tomorrow', 'duration_minutes', 30, 'attendees', '[]'::jsonb)),
                'one tomorrow is taken');
select tests.clear_authentication();

select * from finish();
rollback;
