-- Only admins save actions; each type's config is validated (22023 naming the setting);
-- the email approval rule stays an organisation setting; an organisation adds its own action.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_manager');
select throws_ok($$ select public.save_saved_action('snooze', '{"max_days": 10}') $$, '42501', null, 'a manager cannot');
select tests.authenticate_as('e_csm');
select throws_ok($$ select public.save_saved_action('snooze', '{"max_days": 10}') $$, '42501', null, 'a CSM cannot');
select tests.authenticate_as('e_admin');
select throws_ok($$ select public.save_saved_action('snooze', '{"min_days": 5, "default_days": 3}') $$, '22023',
  'The action''s settings are not valid: config.default_days must not be fewer than the fewest days (5)', 'snooze limits stay ordered');
select throws_ok($$ select public.save_saved_action('snooze', '{"max_days": "ten"}') $$, '22023', null, 'days are numbers');
select throws_ok($$ select public.save_saved_action('skip', '{"reasons": []}') $$, '22023', null, 'skip needs reasons');
select throws_ok($$ select public.save_saved_action('escalate', '{"default_level": "board"}') $$, '22023',
  'The action''s settings are not valid: config.default_level must be one of config.levels', 'the default level is one of the levels');
select throws_ok($$ select public.save_saved_action('schedule_meeting', '{"durations_minutes": [20, 40], "default_duration_minutes": 30}') $$, '22023', null,
  'the default duration is one of the durations');
select throws_ok($$ select public.save_saved_action('send_email', '{"requires_approval": false}') $$, '22023', null,
  'whether email needs approval is an organisation setting, not the action''s');
select throws_ok($$ select public.save_saved_action('snooze', '{"max_days": 10, "colour": "red"}') $$, '22023',
  'The action''s settings are not valid: config.colour is not a known field', 'unknown settings are refused');
select is(public.save_saved_action('skip', '{"reasons": ["Not applicable", "Handled elsewhere"]}') -> 'config' -> 'reasons',
  '["Not applicable", "Handled elsewhere"]'::jsonb, 'an organisation sets its own skip reasons');
select is(public.save_saved_action('snooze_long', '{"max_days": 90, "default_days": 60}', 'Park for a quarter', 'snooze') ->> 'scope',
  'organisation', 'and adds its own action of a known type');
select throws_ok($$ select public.save_saved_action('snooze', '{}', 'Nap') $$, '22023', null, 'a core action keeps its name');
select * from finish();
rollback;
