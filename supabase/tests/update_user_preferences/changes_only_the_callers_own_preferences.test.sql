-- Nobody changes another person's preferences: an update only ever touches the caller's
-- row, and writing a colleague's row directly matches nothing, in any role.
begin;
select plan(6);
select tests.create_rls_world();
insert into app.user_preferences (user_id, org_id, ui) values
  (tests.get_supabase_uid('csm_a'), tests.org_id('Org A'), '{"theme": "dark"}'),
  (tests.get_supabase_uid('csm_b'), tests.org_id('Org B'), '{"theme": "system"}');

select tests.authenticate_as('admin_a');
select is(public.update_user_preferences('{"ui": {"theme": "light", "compactMode": true}}') #>> '{ui,theme}', 'light',
          'admin changes their own preferences');
select is_empty(format($$ update app.user_preferences set ui = '{"theme": "light"}' where user_id = %L returning 1 $$, tests.get_supabase_uid('csm_a')),
                'admin: a colleague''s preferences match nothing');
select is_empty(format($$ delete from app.user_preferences where user_id = %L returning 1 $$, tests.get_supabase_uid('csm_a')),
                'admin: deleting a colleague''s preferences matches nothing');
select throws_ok(format($$ insert into app.user_preferences (user_id, org_id) values (%L, app.current_org_id()) $$, tests.get_supabase_uid('csm2_a')),
                 '42501', null, 'admin: cannot create preferences for a colleague');

select tests.authenticate_as('manager_a');
select is_empty(format($$ update app.user_preferences set ui = '{}' where user_id = %L returning 1 $$, tests.get_supabase_uid('csm_b')),
                'another organisation''s preferences match nothing');

select tests.clear_authentication();
select is((select jsonb_agg(ui order by ui ->> 'theme') from app.user_preferences
           where user_id in (tests.get_supabase_uid('csm_a'), tests.get_supabase_uid('csm_b'))),
          '[{"theme": "dark"}, {"theme": "system"}]'::jsonb, 'the other people''s preferences are untouched');

select * from finish();
rollback;
