-- An admin narrows the snooze limits: list_saved_actions shows the organisation's config,
-- the core row is unchanged, execute_action enforces the new limits, the settings' snooze
-- numbers follow, another organisation keeps the core ones, and the change is audited.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select config as core_config from app.saved_actions where org_id is null and key = 'snooze' \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to) values (:'org', 'Snoozy Co', 90000, 40, :'csm') returning id as cust \gset

select tests.authenticate_as('e_admin');
select public.save_saved_action('snooze', '{"max_days": 10, "default_days": 5}') as saved \gset
select is(:'saved'::jsonb -> 'config', :'core_config'::jsonb || '{"max_days": 10, "default_days": 5}', 'the changes merge into the core config');
select is(:'saved'::jsonb ->> 'scope', 'override', 'as the organisation''s override');
select is(:'saved'::jsonb -> 'core_config', :'core_config'::jsonb, 'with the core config beside it');

select tests.authenticate_as('e_csm');
select is((select a -> 'config' ->> 'max_days' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'snooze'), '10',
          'members get the organisation''s limits');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 14, "reason": "Holiday"}'),
                 '22023', 'days must be between 1 and 10', 'execute_action refuses more than the new maximum');
select is(public.execute_action('snooze', :'eid', '{"reason": "Holiday"}') -> 'result' ->> 'days', '5', 'and uses the new default');

select tests.clear_authentication();
select is((select config from app.saved_actions where org_id is null and key = 'snooze'), :'core_config'::jsonb, 'the core action is unchanged');
select is((select array[snooze_min_days, snooze_default_days, snooze_max_days] from app.organisation_settings where org_id = :'org'),
          array[1, 5, 10], 'the settings'' snooze numbers are the same');
select is((select a.action || ' ' || (a.after -> 'config' ->> 'max_days') from app.admin_audit_log a where a.org_id = :'org' and a.entity = 'saved_action'),
          'override 10', 'the change is audited');
select tests.authenticate_as('o_csm');
select is((select a -> 'config' ->> 'max_days' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'snooze'), '30',
          'another organisation keeps the core limits');
select is((select a ->> 'scope' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'snooze'), 'core', 'as the core action');
select * from finish();
rollback;
