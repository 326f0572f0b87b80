-- A list a caller sends holds at most 1000 entries (app.check_list_size, migration
-- 20261212110000): more is 22023 naming the argument, before any entry is read, and nothing
-- changes. Before, every list argument took any length: 100 000 notification ids (a 4 MB
-- body) kept a connection busy for seconds and answered 200, as did 100 000 copies of a queue,
-- customer or task filter value or of a timeline kind. No list a screen sends comes near the
-- bound (a page of notifications, a handful of filter values, 200 workflows at most).
begin;
select plan(11);

select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Bounded Co', 80000, 70, :'today'::date + 200, :'csm') returning id as cust \gset
insert into app.notifications (org_id, user_id, notification_type, title)
values (:'org', :'csm', 'system', 'Still unread') returning id as note \gset

-- 1001 entries: the note's id and 1000 more ids.
select jsonb_build_array(:'note') || (select jsonb_agg(gen_random_uuid()) from generate_series(1, 1000)) as ids_1001 \gset
select (select jsonb_agg(gen_random_uuid()) from generate_series(1, 1000)) as ids_1000 \gset
\set copies 'select jsonb_agg(%L::text) from generate_series(1, 1001)'

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.mark_notifications_read(%L)', :'ids_1001'),
  '22023', 'notification_ids holds more than 1000 entries', 'more than 1000 notification ids is bad input naming them');
select tests.clear_authentication();
select is((select read_at from app.notifications where id = :'note'), null, 'and the notification among them stays unread');
select tests.authenticate_as('e_csm');
select is((public.mark_notifications_read(:'ids_1000') ->> 'marked')::int, 0, '1000 ids are read as before');

select throws_ok(format('select public.get_customer_timeline(%L, 10, null, (%s))', :'cust', format(:'copies', 'email')),
  '22023', 'kinds holds more than 1000 entries', 'more than 1000 kinds');
select throws_ok(format('select public.get_workflow_queue(filters := jsonb_build_object(''lanes'', (%s)))', format(:'copies', 'now')),
  '22023', 'filters.lanes holds more than 1000 entries', 'more than 1000 queue lanes');
select throws_ok(format('select public.list_customers(filters := jsonb_build_object(''plans'', (%s)))', format(:'copies', 'invest')),
  '22023', 'filters.plans holds more than 1000 entries', 'more than 1000 customer plans');
select throws_ok(format('select public.list_tasks(filters := jsonb_build_object(''priorities'', (%s)))', format(:'copies', 'high')),
  '22023', 'filters.priorities holds more than 1000 entries', 'more than 1000 task priorities');
select lives_ok($$ select public.get_workflow_queue(filters := '{"lanes": ["now", "soon"]}') $$, 'a short filter is read as before');

select tests.authenticate_as('e_manager');
select throws_ok(format('select public.reassign_workflows(%L, %L, ''r'')', :'ids_1001', :'csm2'),
  '22023', 'execution_ids holds more than 1000 entries', 'more than 1000 workflows to reassign');
select throws_ok(format('select public.reassign_workflows(%L, %L, ''r'')', :'ids_1000', :'csm2'),
  '22023', 'execution_ids must name 1 to 200 workflows', 'up to 1000, the call''s own bound of 200 speaks');

-- The rule is one function, and the list readers call it.
select ok((select count(*) = 2 from pg_proc p where p.pronamespace = 'app'::regnamespace
            and p.proname in ('json_text_list', 'queue_filter_values')
            and p.prosrc like '%app.check_list_size(%'),
  'app.json_text_list and app.queue_filter_values both ask app.check_list_size');
select tests.clear_authentication();

select * from finish();
rollback;
