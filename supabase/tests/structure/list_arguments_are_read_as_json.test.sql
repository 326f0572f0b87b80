-- A list a caller sends is read by the function, never converted by the Data API into a
-- Postgres array first: a JSON list nested seven levels deep cannot be an array (54000,
-- which PostgREST answers 500), so no RPC a person may call takes an array parameter, and
-- the list arguments there refuse a list of lists with 22023 naming them.
-- The calls below go through json_to_record, as PostgREST's (and the local gateway's)
-- /rest/v1/rpc does. (Migration 20261206282000.)
begin;
select plan(9);

select is_empty(
  $$ select p.oid::regprocedure::text
       from pg_proc p cross join unnest(p.proargtypes::oid[]) t(oid)
      where p.pronamespace = 'public'::regnamespace
        and has_function_privilege('authenticated', p.oid, 'execute')
        and exists (select 1 from pg_type ty where ty.oid = t.oid and ty.typcategory = 'A') $$,
  'no RPC a signed-in person may call takes a Postgres array');

select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Listed Co', 80000, 70, :'today'::date + 200, :'csm') returning id as cust \gset
insert into app.notifications (org_id, user_id, notification_type, title) values (:'org', :'csm', 'system', 'One');
select tests.authenticate_as('e_csm');

select throws_ok(format($$ select public.get_customer_timeline(customer_id := a.customer_id, kinds := a.kinds)
                              from json_to_record(%L) as a(customer_id uuid, kinds jsonb) $$,
                        json_build_object('customer_id', :'cust', 'kinds', '[[[[[[["email"]]]]]]]'::json)),
  '22023', 'kinds must be a list of strings', 'kinds nested seven levels deep is bad input naming it, not 54000');
select throws_ok(format($$ select public.get_customer_timeline(%L, 10, null, '["email", ["engagement"]]') $$, :'cust'),
  '22023', 'kinds must be a list of strings', 'a list within the list of kinds too');
select throws_ok(format($$ select public.get_customer_timeline(%L, 10, null, '"email"') $$, :'cust'),
  '22023', 'kinds must be a list of strings', 'and one string that is not a list');
select lives_ok(format($$ select public.get_customer_timeline(%L, 10, null, '["email", "engagement"]') $$, :'cust'),
  'a list of kinds is read as before');

select throws_ok($$ select public.mark_notifications_read(a.notification_ids)
                      from json_to_record('{"notification_ids": [[[[[[[["00000000-0000-4000-8000-000000000000"]]]]]]]]}') as a(notification_ids jsonb) $$,
  '22023', 'notification_ids must be a list of strings', 'notification_ids nested eight levels deep is bad input naming it');
select throws_ok($$ select public.mark_notifications_read('["not-an-id"]') $$,
  '22023', 'notification_ids holds "not-an-id", which is not an id', 'an id that is no id is named');
select is((public.mark_notifications_read('[]') ->> 'marked')::int, 0, 'an empty list marks nothing');
select is((public.mark_notifications_read((select jsonb_agg(i -> 'id') from jsonb_array_elements(public.list_notifications() -> 'items') i)) ->> 'marked')::int,
  1, 'a list of ids marks them');

select * from finish();
rollback;
