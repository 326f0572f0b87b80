-- list_notifications shows only the callers; mark_notifications_read marks them.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.notifications (org_id, user_id, notification_type, title) values
  (:'org', :'csm', 'system', 'One'), (:'org', :'csm', 'system', 'Two'), (:'org', :'csm2', 'system', 'Theirs');
select tests.authenticate_as('e_csm');
select is(jsonb_array_length(public.list_notifications() -> 'items'), 2, 'two unread of mine');
select is((public.mark_notifications_read((select jsonb_agg(i -> 'id') from jsonb_array_elements(public.list_notifications() -> 'items') i)) ->> 'marked')::int, 2, 'two marked');
select is(jsonb_array_length(public.list_notifications() -> 'items'), 0, 'none unread');
select is(jsonb_array_length(public.list_notifications(false) -> 'items'), 2, 'both still listed with unread_only false');

select * from finish();
rollback;
