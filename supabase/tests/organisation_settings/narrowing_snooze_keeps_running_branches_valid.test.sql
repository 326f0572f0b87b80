-- Narrowing the snooze limits below a branch default of a workflow the organisation runs
-- is refused (22023 naming each branch by workflow and path) and changes nothing; a core
-- workflow switched off no longer counts, an overridden one counts with its own version's
-- defaults; a narrowing that breaks no branch is saved.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_admin');
create function pg_temp.hint_of(sql text) returns text language plpgsql as $$
begin execute sql; return null; exception when others then
  declare h text; begin get stacked diagnostics h = pg_exception_hint; return h; end;
end $$;
select public.get_organisation_settings() - 'updated_at' as before \gset

-- Expansion Proposal and Signature Stage wait 7 days, Risk Intervention 14, Monitor Stage 30.
select throws_ok($$ select public.update_organisation_settings('{"time_zone": "Europe/Paris", "snooze": {"max_days": 5, "default_days": 3}}') $$, '22023',
  'These limits would leave workflow branches your organisation runs outside them: '
  || 'Expansion Proposal: steps[4].branches[1].config.defaults.days must be a whole number of days from 1 to 5; '
  || 'Monitor Stage: steps[2].branches[1].config.defaults.days must be a whole number of days from 1 to 5; '
  || 'Risk Intervention: steps[4].branches[1].config.defaults.days must be a whole number of days from 1 to 5; and 1 more',
  'a snooze maximum below core branch defaults is refused, naming the branches');
select is(pg_temp.hint_of($$ select public.update_organisation_settings('{"snooze": {"max_days": 5, "default_days": 3}}') $$),
  'Nothing was changed. Keep the limits wide enough for those defaults, or first change the branches'' defaults in the workflow editor '
  || '(saving a core workflow there gives your organisation its own version) or switch those workflows off; then save again.',
  'the hint says how to proceed');
select is(public.get_organisation_settings() - 'updated_at', :'before'::jsonb, 'the settings are unchanged, the time zone too');
select is((select a ->> 'scope' || ' ' || (a -> 'config' ->> 'max_days') from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'snooze'),
  'core 30', 'the snooze action is still the core one');
select throws_ok($$ select public.update_organisation_settings('{"snooze": {"max_days": 20}}') $$, '22023',
  'These limits would leave workflow branches your organisation runs outside them: '
  || 'Monitor Stage: steps[2].branches[1].config.defaults.days must be a whole number of days from 1 to 20',
  'only the branches the change breaks are named');

-- Switched off, Monitor Stage no longer counts.
select public.set_workflow_enabled('monitor', false) is not null as off \gset
select lives_ok($$ select public.update_organisation_settings('{"snooze": {"max_days": 20}}') $$, 'a narrowing that breaks no running branch is saved');
select is((select array[snooze_min_days, snooze_default_days, snooze_max_days] from app.organisation_settings where org_id = :'org'),
  array[1, 7, 20], 'with the settings'' snooze numbers');

-- An override counts with its own version: Risk Intervention waits 10 days in the organisation's version.
select throws_ok($$ select public.update_organisation_settings('{"snooze": {"max_days": 10}}') $$, '22023',
  'These limits would leave workflow branches your organisation runs outside them: '
  || 'Risk Intervention: steps[4].branches[1].config.defaults.days must be a whole number of days from 1 to 10',
  'the core Risk Intervention waits 14 days');
select public.get_workflow_definition('risk-intervention') as def \gset
select lives_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'risk-intervention',
  jsonb_set(:'def'::jsonb -> 'definition', '{steps,4,branches,1,config,defaults,days}', '10'), :'def'::jsonb ->> 'version'),
  'the organisation overrides it to wait 10 days');
select lives_ok($$ select public.update_organisation_settings('{"snooze": {"max_days": 10}}') $$, 'then the maximum of 10 is saved');
select is((select a ->> 'scope' || ' ' || (a -> 'config' ->> 'max_days') from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'snooze'),
  'override 10', 'as the organisation''s snooze limits');

select tests.clear_authentication();
select is((select count(*)::int from app.admin_audit_log l where l.org_id = :'org' and l.entity in ('saved_action', 'organisation_settings')),
  4, 'only the saved changes are audited (two settings changes, each with its saved action)');
select * from finish();
rollback;
