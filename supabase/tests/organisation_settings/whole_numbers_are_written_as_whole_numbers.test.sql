-- A whole-number setting is refused when written with a fraction, even a zero one (60.0,
-- 29.0, 30.5): 22023 naming the key, never a raw 22P02 from the cast that follows, and
-- nothing changes (migration 20261206213000). The rule, app.is_whole_number, is checked
-- here once: an integer literal is whole, anything else is not (3e1 reaches the database
-- as 30, since jsonb reads a number's exponent, and is whole).
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

select is(array[app.is_whole_number('30'), app.is_whole_number('-2'), app.is_whole_number('3e1'),
                app.is_whole_number('30.0'), app.is_whole_number('30.5'), app.is_whole_number('300e-1'),
                app.is_whole_number('"30"'), app.is_whole_number('null'), app.is_whole_number(null)],
          array[true, true, true, false, false, false, false, false, false],
          'a whole number is an integer literal: 30 (and 3e1, read as 30), not 30.0, 30.5, 300e-1, "30" or null');

select count(*)::int as audited from app.admin_audit_log where org_id = :'org' \gset
select tests.authenticate_as('e_admin');
select public.get_organisation_settings() - 'updated_at' as before \gset
select throws_ok($$ select public.update_organisation_settings('{"thresholds": {"risk_score_trigger": 60.0}}') $$, '22023',
  'thresholds.risk_score_trigger must be a whole number from 0 to 100', 'a threshold of 60.0 is refused naming it');
select throws_ok($$ select public.update_organisation_settings('{"thresholds": {"opportunity_score_trigger": 75.0}}') $$, '22023',
  'thresholds.opportunity_score_trigger must be a whole number from 0 to 100', 'as is any threshold written with .0');
select throws_ok($$ select public.update_organisation_settings('{"thresholds": {"renewal_overdue_cutoff_days": 30.5}}') $$, '22023',
  'thresholds.renewal_overdue_cutoff_days must be a whole number from 1 to 365', 'and a fraction');
select throws_ok($$ select public.update_organisation_settings('{"snooze": {"max_days": 29.0}}') $$, '22023',
  'snooze.max_days must be a whole number from 1 to 365', 'snooze days of 29.0 are refused naming them');
select throws_ok($$ select public.update_organisation_settings('{"snooze": {"default_days": 10.0, "min_days": 2}}') $$, '22023',
  'snooze.default_days must be a whole number from 1 to 365', 'even beside a valid one');
select throws_ok($$ select public.update_organisation_settings('{"time_zone": "Europe/Paris", "thresholds": {"risk_score_trigger": 61.0}}') $$, '22023',
  null, 'a change with one such value is refused whole');
select is(public.get_organisation_settings() - 'updated_at', :'before'::jsonb, 'and nothing changed');

select is(public.update_organisation_settings('{"thresholds": {"risk_score_trigger": 65}, "snooze": {"max_days": 29}}')
            - 'updated_at' - 'time_zone' - 'email' - 'brief' - 'llm',
          '{"thresholds": {"risk_score_trigger": 65, "opportunity_score_trigger": 70, "renewal_overdue_cutoff_days": 30},
            "snooze": {"default_days": 7, "min_days": 1, "max_days": 29}}'::jsonb,
          'the same numbers written as whole numbers are saved');
select is((select a -> 'config' -> 'max_days' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'snooze'),
          '29'::jsonb, 'and the snooze action holds them as whole numbers');

select tests.clear_authentication();
select is((select count(*)::int from app.admin_audit_log l where l.org_id = :'org'), :audited + 2,
          'only the accepted change is audited (settings and the snooze action)');
select is((select array[risk_score_trigger, snooze_max_days] from app.organisation_settings where org_id = :'org'), array[65, 29],
          'the settings columns hold the accepted numbers');
select * from finish();
rollback;
