-- A skip's reasons hold no blank entry: one of a zero-width space, a tab or a no-break
-- space is refused as one of spaces is (22023 with the list rule's message), and nothing
-- is saved; a reason with visible text is taken. (app.config_list_is_valid, migration
-- 20261206256000.)
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_admin');
select throws_ok(format('select public.save_saved_action(%L, %L)', 'skip', jsonb_build_object('reasons', jsonb_build_array(E'\u200b', 'Not needed'))),
  '22023', null, 'a reason of a zero-width space is blank');
select throws_ok(format('select public.save_saved_action(%L, %L)', 'skip', jsonb_build_object('reasons', jsonb_build_array(E'\t\u00a0', 'Not needed'))),
  '22023', null, 'a reason of a tab and a no-break space is blank');
select is(app.saved_action_config_problems('skip', jsonb_build_object('reasons', jsonb_build_array(E'\u2800'), 'reason_required', true)),
  array['config.reasons must be a list of 1 to 20 distinct reasons, each 1 to 80 characters'], 'with the list rule''s own words');
select is((select count(*)::int from app.saved_actions where org_id = :'org' and key = 'skip'), 0, 'nothing was saved');
select is(public.save_saved_action('skip', jsonb_build_object('reasons', jsonb_build_array('Not needed', 'Customer asked'))) -> 'config' -> 'reasons',
  '["Not needed", "Customer asked"]'::jsonb, 'reasons with visible text are saved');
select * from finish();
rollback;
