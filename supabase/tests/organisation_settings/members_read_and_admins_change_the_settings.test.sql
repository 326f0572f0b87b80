-- Any member reads the settings; only an admin changes them, with a validated merge;
-- nothing changes when one key is wrong; snooze limits are the snooze action's; audited;
-- another organisation is untouched.
begin;
select plan(16);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_viewer');
select is(public.get_organisation_settings() - 'updated_at', '{
  "time_zone": "UTC", "email": {"require_approval": true, "allow_self_approval": false},
  "thresholds": {"risk_score_trigger": 60, "opportunity_score_trigger": 70, "renewal_overdue_cutoff_days": 30},
  "snooze": {"default_days": 7, "min_days": 1, "max_days": 30}, "brief": {"time": "07:00"}, "llm": {"model": "llama3.1:8b"}}'::jsonb,
  'a viewer reads the defaults');
select throws_ok($$ select public.update_organisation_settings('{"time_zone": "Europe/Paris"}') $$, '42501', null, 'a viewer cannot change them');
select tests.authenticate_as('e_manager');
select throws_ok($$ select public.update_organisation_settings('{"time_zone": "Europe/Paris"}') $$, '42501', null, 'nor can a manager');

select tests.authenticate_as('e_admin');
select throws_ok($$ select public.update_organisation_settings('{"time_zone": "Mars/Olympus"}') $$, '22023',
  'time_zone must be a time zone name such as Europe/Paris', 'an unknown time zone is refused');
select throws_ok($$ select public.update_organisation_settings('{"time_zone": "UTC+99"}') $$, '22023',
  'time_zone must be a time zone name such as Europe/Paris', 'a rule 99 hours from UTC is no time zone');
select throws_ok($$ select public.update_organisation_settings('{"time_zone": "<+99>-99"}') $$, '22023', null, 'nor in any spelling');
select ok(app.is_time_zone('Pacific/Kiritimati') and app.is_time_zone('Pacific/Pago_Pago') and app.is_time_zone('Etc/GMT+12'),
  'the zones furthest ahead (+14) and behind (-11, -12) are time zones');
select throws_ok($$ select public.update_organisation_settings('{"email": {"require_approval": true, "cc_me": true}}') $$, '22023',
  'email.cc_me is not a setting (known in email: allow_self_approval, require_approval)', 'an unknown key is refused');
select throws_ok($$ select public.update_organisation_settings('{"thresholds": {"risk_score_trigger": 120}}') $$, '22023',
  'thresholds.risk_score_trigger must be a whole number from 0 to 100', 'a threshold is a percentage');
select throws_ok($$ select public.update_organisation_settings('{"brief": {"time": "7am"}}') $$, '22023', null, 'a brief time is HH:MM');
select throws_ok($$ select public.update_organisation_settings('{"time_zone": "Europe/Paris", "snooze": {"min_days": 9, "default_days": 8}}') $$, '22023', null,
  'snooze limits must stay ordered');
select is(public.get_organisation_settings() ->> 'time_zone', 'UTC', 'and a refused change changes nothing');

select public.update_organisation_settings('{"time_zone": "Europe/Paris", "email": {"allow_self_approval": true},
  "thresholds": {"risk_score_trigger": 50}, "snooze": {"max_days": 14}, "brief": {"time": "08:30"}, "llm": {"model": "qwen2.5:7b"}}') - 'updated_at' as after \gset
select is(:'after'::jsonb, '{
  "time_zone": "Europe/Paris", "email": {"require_approval": true, "allow_self_approval": true},
  "thresholds": {"risk_score_trigger": 50, "opportunity_score_trigger": 70, "renewal_overdue_cutoff_days": 30},
  "snooze": {"default_days": 7, "min_days": 1, "max_days": 14}, "brief": {"time": "08:30"}, "llm": {"model": "qwen2.5:7b"}}'::jsonb,
  'valid changes merge key by key');
select is((select a -> 'config' ->> 'max_days' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'snooze'), '14',
  'the snooze limit is the snooze action''s');
select tests.clear_authentication();
select is((select l.after - 'snooze' from app.admin_audit_log l where l.org_id = :'org' and l.entity = 'organisation_settings'),
          :'after'::jsonb - 'snooze', 'the change is audited with before and after');
select is((select time_zone from app.organisation_settings where org_id = :'other_org'), 'UTC', 'another organisation is untouched');
select * from finish();
rollback;
