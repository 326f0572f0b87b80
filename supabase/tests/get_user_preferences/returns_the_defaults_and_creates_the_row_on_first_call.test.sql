-- A person who never set anything gets every default of docs/business-rules.md "Preferences",
-- and their (empty) row exists afterwards; calling again answers the same.
begin;
select plan(5);
select tests.create_rls_world();

select tests.authenticate_as('csm_a');
select is_empty($$ select 1 from app.user_preferences where user_id = auth.uid() $$, 'no row before the first call');
select is(
  public.get_user_preferences(),
  '{
    "chat": {"shiftEnterToSubmit": false, "enableSoundNotifications": true, "autoScrollToBottom": true},
    "notifications": {"emailDigest": "daily", "inAppNotifications": true, "desktopNotifications": false},
    "ui": {"theme": "light", "compactMode": false, "sidebarCollapsed": false},
    "workflow": {"autoAdvanceSteps": false, "showCompletedTasks": true}
  }'::jsonb,
  'the first call answers every group with the domain defaults'
);
select isnt_empty($$ select 1 from app.user_preferences where user_id = auth.uid() and org_id = app.current_org_id() $$,
                  'the first call creates the caller''s row');
select is((select ui from app.user_preferences where user_id = auth.uid()), '{}'::jsonb,
          'defaults are not copied into the row: it stores only what the person chose');
select is(public.get_user_preferences(), public.get_user_preferences(), 'a second call answers the same');

select * from finish();
rollback;
