-- A saved action's whole-number settings are refused when written with a fraction, even a
-- zero one (28.0, [15.0, 30.0], 30.0): 22023 naming the setting, never a raw 22P02, and
-- nothing is stored, so no action is left that fails for every CSM (migration 20261206213000).
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select count(*)::int as audited from app.admin_audit_log where org_id = :'org' \gset
select tests.authenticate_as('e_admin');
select throws_ok($$ select public.save_saved_action('snooze', '{"max_days": 28.0}') $$, '22023',
  'The action''s settings are not valid: config.default_days, min_days and max_days must be whole numbers of days',
  'snooze days of 28.0 are refused naming them');
select throws_ok($$ select public.save_saved_action('schedule_meeting', '{"durations_minutes": [15.0, 30.0], "default_duration_minutes": 30.0}') $$, '22023',
  'The action''s settings are not valid: config.durations_minutes must be a list of 1 to 12 distinct whole minutes from 5 to 480',
  'meeting lengths of 15.0 and 30.0 are refused naming them');
select throws_ok($$ select public.save_saved_action('schedule_meeting', '{"durations_minutes": [15, 30], "default_duration_minutes": 30.0}') $$, '22023',
  'The action''s settings are not valid: config.default_duration_minutes must be one of config.durations_minutes',
  'a default length of 30.0 is refused, though jsonb finds it among [15, 30]');
select throws_ok($$ select public.save_saved_action('schedule_meeting', '{"default_duration_minutes": 30.5}') $$, '22023',
  'The action''s settings are not valid: config.default_duration_minutes must be one of config.durations_minutes', 'as is 30.5');
select throws_ok($$ select public.save_saved_action('snooze_long', '{"max_days": 90, "default_days": 30.0}', 'Park for a month', 'snooze') $$, '22023',
  'The action''s settings are not valid: config.default_days, min_days and max_days must be whole numbers of days',
  'an organisation''s own snooze action with 30.0 days is refused');

select tests.clear_authentication();
select is((select count(*)::int from app.saved_actions where org_id = :'org' and key in ('snooze', 'schedule_meeting', 'snooze_long')), 0,
          'no action was stored');
select is((select array[snooze_min_days, snooze_default_days, snooze_max_days] from app.organisation_settings where org_id = :'org'),
          array[1, 7, 30], 'the settings'' snooze numbers are unchanged');
select is((select count(*)::int from app.admin_audit_log where org_id = :'org'), :audited, 'and nothing was audited');

select tests.authenticate_as('e_admin');
select public.save_saved_action('schedule_meeting', '{"durations_minutes": [15, 30], "default_duration_minutes": 30}') -> 'config' as meeting \gset
select is(jsonb_build_array(:'meeting'::jsonb -> 'durations_minutes', :'meeting'::jsonb -> 'default_duration_minutes'), '[[15, 30], 30]'::jsonb,
          'the same lengths written as whole numbers are saved');
select is(public.save_saved_action('snooze_long', '{"max_days": 90, "default_days": 30}', 'Park for a month', 'snooze') -> 'config' -> 'default_days',
          '30'::jsonb, 'as is the organisation''s own snooze action');
select is(public.save_saved_action('snooze', '{"max_days": 28}') -> 'config' -> 'max_days', '28'::jsonb, 'and the core snooze''s limit');
select * from finish();
rollback;
