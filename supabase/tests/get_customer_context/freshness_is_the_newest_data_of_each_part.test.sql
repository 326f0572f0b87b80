-- freshness names, per part, the time of the newest stored row behind it.
begin;
select plan(6);
select tests.create_rls_world();

insert into app.arr_history (org_id, customer_id, arr, recorded_at)
select c.org_id, c.id, 120000, now() - interval '12 days' from app.customers c where c.id = tests.row_id('customers', 'a');
insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats)
select c.org_id, c.id, now() - d.age, 10, 20 from app.customers c, (values (interval '9 days'), (interval '2 days')) as d(age)
 where c.id = tests.row_id('customers', 'a');
-- A snapshot dated in the future has not happened yet: it is not the freshest data.
insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats)
select c.org_id, c.id, now() + interval '3 days', 99, 20 from app.customers c where c.id = tests.row_id('customers', 'a');
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at)
select c.org_id, c.id, 'call', now() - interval '4 days' from app.customers c where c.id = tests.row_id('customers', 'a');
insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score)
select c.org_id, c.id, now() - interval '30 days', 60 from app.customers c where c.id = tests.row_id('customers', 'a');

select tests.authenticate_as('csm_a');
create temporary view f as
  select public.get_customer_context(customer_id => tests.row_id('customers', 'a')) -> 'freshness' as f;

select is((select (f ->> 'financials')::timestamptz from f), now() - interval '12 days', 'financials: the newest ARR row');
select is((select (f ->> 'usage')::timestamptz from f), now() - interval '2 days', 'usage: the newest snapshot that has happened');
select is((select (f ->> 'engagement')::timestamptz from f), now() - interval '4 days', 'engagement: the newest event');
select is((select (f ->> 'intelligence')::timestamptz from f), now(), 'intelligence: the newest score snapshot (today''s)');
select is((select (f ->> 'today')::date from f), current_date, 'today in the organisation''s time zone (UTC here)');
select is((public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #>> '{data,usage,active_users}')::int, 10,
  'the future snapshot is not taken as the current usage');

select * from finish();
rollback;
