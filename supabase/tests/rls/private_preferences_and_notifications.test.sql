-- Preferences and notifications are private to their owner: a viewer writes its own,
-- nobody reads or changes anyone else's; non-viewers may notify a colleague.
begin;
select plan(10);
select tests.create_rls_world();

insert into app.user_preferences (user_id, org_id, ui) values (tests.get_supabase_uid('csm_a'), tests.org_id('Org A'), '{"theme": "dark"}');
insert into app.notifications (org_id, user_id, notification_type, title)
values (tests.org_id('Org A'), tests.get_supabase_uid('csm_a'), 'system', 'For csm_a');

select tests.authenticate_as('viewer_a');
select lives_ok($$ insert into app.user_preferences (user_id, org_id, ui) values (auth.uid(), app.current_org_id(), '{"theme": "dark"}') $$,
                'viewer: writes its own preferences');
select lives_ok($$ insert into app.notifications (org_id, user_id, notification_type, title) values (app.current_org_id(), auth.uid(), 'system', 'Note to self') $$,
                'viewer: writes its own notifications');
select is((select count(*)::int from app.user_preferences), 1, 'viewer reads only its own preferences');
select is((select count(*)::int from app.notifications), 1, 'viewer reads only its own notifications');
select throws_ok(format($$ insert into app.notifications (org_id, user_id, notification_type, title) values (app.current_org_id(), %L, 'system', 'Hi') $$,
                        tests.get_supabase_uid('csm_a')), '42501', null, 'viewer: cannot notify a colleague');

select tests.authenticate_as('manager_a');
select is_empty($$ update app.user_preferences set ui = '{}' where user_id <> auth.uid() returning 1 $$, 'manager: others'' preferences match nothing');
select is_empty($$ update app.notifications set read_at = now() where user_id <> auth.uid() returning 1 $$, 'manager: others'' notifications match nothing');

select tests.authenticate_as('csm2_a');
select lives_ok(format($$ insert into app.notifications (org_id, user_id, notification_type, title) values (app.current_org_id(), %L, 'task_assigned', 'A task for you') $$,
                       tests.get_supabase_uid('csm_a')), 'csm: notifies a colleague');

select tests.authenticate_as('csm_a');
select is((select count(*)::int from app.notifications), 2, 'csm reads the notifications addressed to them');
select isnt_empty($$ update app.notifications set read_at = now() returning 1 $$, 'csm: marks their notifications read');

select * from finish();
rollback;
