-- An action's whole-number params are refused when written with a fraction, even a zero one
-- (7.0 days, 30.0 minutes), 22023 naming them; and the actions an admin could once break
-- by saving 30.0 (a meeting's default length, an own snooze action's default days) are
-- refused when saved, so they keep working for every CSM (migration 20261206213000). The
-- params' type is checked first, as for a proposal (app.require_action_params, 218000).
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select tests.authenticate_as('e_admin');
select throws_ok($$ select public.save_saved_action('schedule_meeting', '{"durations_minutes": [15.0, 30.0], "default_duration_minutes": 30.0}') $$,
  '22023', null, 'an admin cannot save meeting lengths of 30.0');
select throws_ok($$ select public.save_saved_action('snooze_month', '{"max_days": 60, "default_days": 30.0}', 'Park for a month', 'snooze') $$,
  '22023', null, 'nor an own snooze action defaulting to 30.0 days');
select public.save_saved_action('snooze_month', '{"max_days": 60, "default_days": 30}', 'Park for a month', 'snooze') is not null as saved \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 7.0, "reason": "x"}'), '22023',
  'params.days must be a whole number', 'snooze days of 7.0 are refused naming them');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 7.5, "reason": "x"}'), '22023',
  'params.days must be a whole number', 'as are 7.5');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
  '{"scheduled_at": "2030-01-01T10:00:00Z", "duration_minutes": 30.0}'), '22023',
  'params.duration_minutes must be a whole number', 'a meeting of 30.0 minutes is refused naming the length');
select is((select count(*)::int from app.workflow_meetings where execution_id = :'eid'), 0, 'no meeting was added');
select isnt((select status from app.workflow_executions where id = :'eid'), 'snoozed', 'nor the workflow snoozed');

select is(public.execute_action('schedule_meeting', :'eid', '{"scheduled_at": "2030-01-01T10:00:00Z"}') -> 'result' -> 'duration_minutes',
          '30'::jsonb, 'the meeting action keeps working, with its default of 30 minutes');
select is(public.execute_action('snooze_month', :'eid', '{"reason": "back next month"}') -> 'result' -> 'days',
          '30'::jsonb, 'and the own snooze action with its default of 30 days');
select ok((select snoozed_until from app.workflow_executions where id = :'eid')
            between now() + interval '30 days' - interval '1 minute' and now() + interval '30 days' + interval '1 minute',
          'snoozed for 30 days');
select * from finish();
rollback;
