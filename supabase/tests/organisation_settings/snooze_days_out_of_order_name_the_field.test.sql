-- Snooze days out of order are refused naming the field that is out of place, in the words
-- of the Settings and Actions pages (Fewest, Default and Most days), never as the Snooze
-- action's "The action's settings are not valid: config snooze days must satisfy …"; a
-- change of one field is judged with the other two as stored; nothing changes
-- (migration 20261208703000).
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_admin');

-- Admin -> Settings (stored: fewest 1, default 7, most 30).
select throws_ok($$ select public.update_organisation_settings('{"snooze": {"min_days": 10, "default_days": 7, "max_days": 30}}') $$,
  '22023', 'snooze.default_days must not be fewer than the fewest days (10)', 'a default fewer than the fewest days names the default');
select throws_ok($$ select public.update_organisation_settings('{"snooze": {"default_days": 40}}') $$,
  '22023', 'snooze.default_days must not be more than the most days (30)', 'one field changed is judged with the two stored');
select throws_ok($$ select public.update_organisation_settings('{"snooze": {"max_days": 5}}') $$,
  '22023', 'snooze.default_days must not be more than the most days (5)', 'so is fewer most days than the default');
select is((select row(snooze_min_days, snooze_default_days, snooze_max_days)::text from app.organisation_settings where org_id = :'org'),
  '(1,7,30)', 'nothing was changed');
select is(public.update_organisation_settings('{"snooze": {"min_days": 2, "default_days": 2, "max_days": 9}}') -> 'snooze',
  '{"min_days": 2, "default_days": 2, "max_days": 9}'::jsonb, 'days in order are saved');

-- Admin -> Actions: the same rule for the Snooze action's config.
select throws_ok($$ select public.save_saved_action('snooze', '{"min_days": 5, "default_days": 3}') $$, '22023',
  'The action''s settings are not valid: config.default_days must not be fewer than the fewest days (5)', 'an action''s days name the field too');
select is(app.snooze_days_problems('{"min_days": 0, "default_days": 3, "max_days": 400}', 'config.'),
  array['config.min_days must be from 1 to 365 days', 'config.max_days must be from 1 to 365 days'], 'days outside 1 to 365 are named one by one');
select is(app.snooze_days_problems('{"min_days": 10, "default_days": 7, "max_days": 5}', 'snooze.'),
  array['snooze.default_days must not be fewer than the fewest days (10)', 'snooze.default_days must not be more than the most days (5)'],
  'every way the default is out of place is said');
select is(app.snooze_days_problems('{"min_days": 1, "default_days": 365, "max_days": 365}', 'snooze.'), '{}'::text[], 'days in order have no problem');

select * from finish();
rollback;
