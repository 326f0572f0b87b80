-- Changes merge key by key: a later change to one key keeps earlier choices in the same
-- group and in other groups; the answer is always the full preferences.
begin;
select plan(6);
select tests.create_rls_world();

select tests.authenticate_as('csm_a');
select is(public.update_user_preferences('{"ui": {"theme": "dark"}, "chat": {"shiftEnterToSubmit": true}}') -> 'ui',
          '{"theme": "dark", "compactMode": false, "sidebarCollapsed": false}'::jsonb,
          'the first change creates the row and answers the full ui group');
select is(public.update_user_preferences('{"ui": {"compactMode": true}}') -> 'ui',
          '{"theme": "dark", "compactMode": true, "sidebarCollapsed": false}'::jsonb,
          'changing one ui key keeps the theme chosen before');
select is(public.get_user_preferences() #>> '{chat,shiftEnterToSubmit}', 'true', 'the other group keeps its earlier change');
select is(public.update_user_preferences('{"notifications": {"emailDigest": "weekly"}}') -> 'notifications',
          '{"emailDigest": "weekly", "inAppNotifications": true, "desktopNotifications": false}'::jsonb,
          'an allowed value of a choice key is accepted');
select is(public.update_user_preferences('{}'), public.get_user_preferences(), 'an empty change answers the current preferences');
select is((select ui from app.user_preferences where user_id = auth.uid()), '{"theme": "dark", "compactMode": true}'::jsonb,
          'the row stores exactly the keys the person set');

select * from finish();
rollback;
