-- A value of the wrong type is refused with 22023 naming it, and nothing is changed, not even the
-- valid changes sent alongside it.
begin;
select plan(4);
select tests.create_rls_world();
insert into app.user_preferences (user_id, org_id, ui) values (tests.get_supabase_uid('csm_a'), tests.org_id('Org A'), '{"theme": "dark"}');

select tests.authenticate_as('csm_a');
select throws_ok($$ select public.update_user_preferences('{"ui": {"compactMode": "yes"}}') $$, '22023',
                 'ui.compactMode must be a boolean, not string', 'a value of the wrong type is refused with 22023 naming it');
select throws_ok($$ select public.update_user_preferences('{"chat": {"shiftEnterToSubmit": true}}'::jsonb || '{"ui": {"compactMode": "yes"}}'::jsonb) $$, '22023',
                 'ui.compactMode must be a boolean, not string', 'sent with a valid change, it is still refused');
select is((select jsonb_build_array(chat, notifications, ui, workflow) from app.user_preferences where user_id = auth.uid()),
          '[{}, {}, {"theme": "dark"}, {}]'::jsonb, 'the stored preferences are unchanged');
select is(public.get_user_preferences() #>> '{chat,shiftEnterToSubmit}', 'false', 'the valid change sent alongside was not applied');

select * from finish();
rollback;
