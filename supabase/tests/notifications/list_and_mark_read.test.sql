-- list_notifications shows only the callers; mark_notifications_read marks them.
begin;
select plan(4);
set client_min_messages = warning;
select tests.create_organisation('Engine Org') as org \gset
select tests.create_member('e_admin', :'org', 'admin', 'expert') as admin \gset
select tests.create_member('e_manager', :'org', 'manager', 'senior') as manager \gset
select tests.create_member('e_csm', :'org', 'csm', 'senior') as csm \gset
select tests.create_member('e_csm2', :'org', 'csm', 'junior') as csm2 \gset
select tests.create_member('e_viewer', :'org', 'viewer') as viewer \gset
update app.profiles set manager_id = :'manager' where id in (:'csm', :'csm2');
select tests.create_organisation('Other Org') as other_org \gset
select tests.create_member('o_manager', :'other_org', 'manager') as other_manager \gset
select tests.create_member('o_csm', :'other_org', 'csm') as other_csm \gset
select app.organisation_today(:'org') as today \gset
insert into app.notifications (org_id, user_id, notification_type, title) values
  (:'org', :'csm', 'system', 'One'), (:'org', :'csm', 'system', 'Two'), (:'org', :'csm2', 'system', 'Theirs');
select tests.authenticate_as('e_csm');
select is(jsonb_array_length(public.list_notifications() -> 'items'), 2, 'two unread of mine');
select is((public.mark_notifications_read((select array_agg((i ->> 'id')::uuid) from jsonb_array_elements(public.list_notifications() -> 'items') i)) ->> 'marked')::int, 2, 'two marked');
select is(jsonb_array_length(public.list_notifications() -> 'items'), 0, 'none unread');
select is(jsonb_array_length(public.list_notifications(false) -> 'items'), 2, 'both still listed with unread_only false');

select * from finish();
rollback;
