-- A stored row that lacks keys (or holds keys and values a later release dropped) still
-- answers the full preferences: stored choices where valid, defaults for everything else.
begin;
select plan(4);
select tests.create_rls_world();

insert into app.user_preferences (user_id, org_id, ui, notifications, chat)
values (tests.get_supabase_uid('csm_a'), tests.org_id('Org A'),
        '{"theme": "dark", "retiredKey": true}', '{"emailDigest": "hourly"}', '{"shiftEnterToSubmit": true}');

select tests.authenticate_as('csm_a');
select is(public.get_user_preferences() -> 'ui', '{"theme": "dark", "compactMode": false, "sidebarCollapsed": false}'::jsonb,
          'a stored choice is kept and the missing ui keys are filled in; an unknown key is dropped');
select is(public.get_user_preferences() #>> '{notifications,emailDigest}', 'daily',
          'a stored value that is no longer allowed falls back to the default');
select is(public.get_user_preferences() -> 'workflow', '{"autoAdvanceSteps": false, "showCompletedTasks": true}'::jsonb,
          'a group the row never set answers its defaults');
select is((select count(*)::int from jsonb_object_keys(public.get_user_preferences())), 4,
          'the answer always has exactly the four groups');

select * from finish();
rollback;
