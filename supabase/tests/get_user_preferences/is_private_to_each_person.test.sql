-- Each person reads only their own preferences: a colleague's choices, or another
-- organisation's, never show up in the answer, and a viewer reads its own.
begin;
select plan(5);
select tests.create_rls_world();

insert into app.user_preferences (user_id, org_id, ui) values
  (tests.get_supabase_uid('csm_a'), tests.org_id('Org A'), '{"theme": "dark"}'),
  (tests.get_supabase_uid('csm_b'), tests.org_id('Org B'), '{"theme": "system"}');

select tests.authenticate_as('csm_a');
select is(public.get_user_preferences() #>> '{ui,theme}', 'dark', 'csm reads their own choice');

select tests.authenticate_as('csm2_a');
select is(public.get_user_preferences() #>> '{ui,theme}', 'light', 'a colleague gets their own defaults, not csm_a''s choice');
select is((select count(*)::int from app.user_preferences), 1, 'a colleague can read only their own row');

select tests.authenticate_as('viewer_a');
select is(public.get_user_preferences() #>> '{ui,theme}', 'light', 'viewer reads its own preferences');

select tests.authenticate_as('admin_b');
select is(public.get_user_preferences() #>> '{ui,theme}', 'light', 'another organisation''s admin gets their own defaults');

select * from finish();
rollback;
