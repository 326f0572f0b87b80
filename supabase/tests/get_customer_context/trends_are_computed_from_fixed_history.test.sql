-- Trends compare today's value with the value in effect 90 days ago (or, for a younger
-- history, the oldest value since): scores, ARR (with previous ARR and growth rate) and
-- active users, all from fixed history rows.
begin;
select plan(22);
select tests.create_rls_world();

-- Customer 'a' (health 70 now). Scores 120 and 60 days ago; risk is set today.
update app.customers set risk_score = 42 where id = tests.row_id('customers', 'a');
insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score, risk_score, opportunity_score)
select c.org_id, c.id, now() - d.age, d.health, d.risk, null
  from app.customers c,
       (values (interval '120 days', 50, 40), (interval '60 days', 60, 45)) as d(age, health, risk)
 where c.id = tests.row_id('customers', 'a');

-- ARR: 100k 200 and 100 days ago (an unchanged repeat), 120k 30 days ago.
insert into app.arr_history (org_id, customer_id, arr, recorded_at)
select c.org_id, c.id, d.arr, now() - d.age
  from app.customers c,
       (values (100000, interval '200 days'), (100000, interval '100 days'), (120000, interval '30 days')) as d(arr, age)
 where c.id = tests.row_id('customers', 'a');

-- Usage: 80 of 100 seats 95 days ago, 70 ten days ago, 90 of 120 yesterday.
insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats)
select c.org_id, c.id, now() - d.age, d.active, d.seats
  from app.customers c,
       (values (interval '95 days', 80, 100), (interval '10 days', 70, 100), (interval '1 day', 90, 120)) as d(age, active, seats)
 where c.id = tests.row_id('customers', 'a');

-- A young customer ('a-theirs'): usage only within the window, 50 then 40 active users.
insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats)
select c.org_id, c.id, now() - d.age, d.active, 80
  from app.customers c,
       (values (interval '30 days', 50), (interval '1 day', 40)) as d(age, active)
 where c.id = tests.row_id('customers', 'a-theirs');

select tests.authenticate_as('csm_a');
create temporary view ctx as
  select public.get_customer_context(customer_id => tests.row_id('customers', 'a')) as c;

select is((select c #>> '{intelligence,health,score}' from ctx), '70', 'health: today''s score');
select is((select c #>> '{intelligence,health,baseline}' from ctx), '50', 'health: the score in effect 90 days ago');
select is((select c #>> '{intelligence,health,change}' from ctx), '20', 'health: change over the window');
select is((select c #>> '{intelligence,health,trend}' from ctx), 'up', 'health: trend up');
select is((select c #>> '{intelligence,risk,change}' from ctx), '2', 'risk: 42 against 40');
select is((select c #>> '{intelligence,risk,trend}' from ctx), 'stable', 'risk: a change under 5 points is stable');
select is((select c #>> '{intelligence,opportunity,trend}' from ctx), null, 'opportunity: no score, no trend');

select is((select (c #>> '{data,financials,current_arr}')::numeric from ctx), 120000::numeric, 'financials: current ARR from history');
select is((select (c #>> '{data,financials,previous_arr}')::numeric from ctx), 100000::numeric, 'financials: the ARR before the last change');
select is((select (c #>> '{data,financials,growth_rate}')::numeric from ctx), 0.2, 'financials: growth rate 20%');
select is((select (c #>> '{data,financials,arr_changed_at}')::timestamptz from ctx), now() - interval '30 days', 'financials: when it changed');
select is((select (c #>> '{data,financials,baseline_arr}')::numeric from ctx), 100000::numeric, 'financials: ARR 90 days ago');
select is((select c #>> '{data,financials,trend}' from ctx), 'up', 'financials: trend up');

select is((select array(select (x ->> 'arr')::numeric from jsonb_array_elements(c #> '{data,financials,history}') x) from ctx),
  array[100000, 100000, 120000]::numeric[], 'financials: the year''s ARR series, oldest first (for the chart)');
select is((select array(select (x ->> 'active_users')::int from jsonb_array_elements(c #> '{data,usage,history}') x) from ctx),
  array[80, 70, 90], 'usage: the series of the last 180 days, oldest first');
select is((select (c #>> '{data,usage,active_users}')::int from ctx), 90, 'usage: latest active users');
select is((select (c #>> '{data,usage,licensed_seats}')::int from ctx), 120, 'usage: latest licensed seats');
select is((select (c #>> '{data,usage,utilisation}')::numeric from ctx), 0.75, 'usage: utilisation 90/120');
select is((select (c #>> '{data,usage,baseline_active_users}')::int from ctx), 80, 'usage: active users 90 days ago');
select is((select c #>> '{data,usage,trend}' from ctx), 'up', 'usage: 90 against 80 is up');

select is(public.get_customer_context(customer_id => tests.row_id('customers', 'a-theirs')) #>> '{data,usage,baseline_active_users}', '50',
  'a younger history uses its oldest value in the window');
select is(public.get_customer_context(customer_id => tests.row_id('customers', 'a-theirs')) #>> '{data,usage,trend}', 'down',
  'and 40 against 50 is down');

select * from finish();
rollback;
