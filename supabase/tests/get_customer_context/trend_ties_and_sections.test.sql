-- The one trend rule (app.context_latest_and_baseline): rows recorded at the same time go
-- to the one recorded last, the latest row is never its own baseline, and a single row
-- gives no trend. The section functions take a customer the dispatcher has already
-- checked, so nobody may call them directly.
begin;
select plan(7);
select tests.create_rls_world();

-- ARR: two rows 10 days ago at the same instant; the one recorded later is the current ARR.
insert into app.arr_history (org_id, customer_id, arr, recorded_at, created_at)
select c.org_id, c.id, d.arr, date_trunc('second', now()) - interval '10 days', now() - d.age
  from app.customers c, (values (100000, interval '2 hours'), (130000, interval '1 hour')) as d(arr, age)
 where c.id = tests.row_id('customers', 'a');
-- Usage: one snapshot only.
insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats)
select c.org_id, c.id, now() - interval '3 days', 12, 20 from app.customers c where c.id = tests.row_id('customers', 'a');

select tests.authenticate_as('csm_a');
create temporary view ctx as
  select public.get_customer_context(customer_id => tests.row_id('customers', 'a')) as c;

select is((select (c #>> '{data,financials,current_arr}')::numeric from ctx), 130000::numeric,
  'of two ARR rows recorded at the same time, the one recorded last is current');
select is((select c #>> '{data,financials,previous_arr}' from ctx), null,
  'the other one, recorded at the same time, is no earlier value');
select is((select c #>> '{data,financials,baseline_arr}' from ctx), null,
  'rows at the same time as the latest are no baseline (nothing older)');
select is((select c #>> '{data,usage,active_users}' from ctx), '12', 'a single usage snapshot is the latest');
select is((select c #>> '{data,usage,baseline_active_users}' from ctx), null, 'and is not its own baseline');
select is((select c #>> '{data,usage,trend}' from ctx), null, 'so there is no trend from one point');
select tests.clear_authentication();

select is_empty($$
  select p.oid::regprocedure::text || ' by ' || r.role
    from pg_proc p cross join (values ('authenticated'), ('anon'), ('service_role')) r(role)
   where p.pronamespace = 'app'::regnamespace and p.proname like 'context\_%'
     and has_function_privilege(r.role, p.oid, 'execute') $$,
  'no role may call a section of the context directly (only app.customer_context does)');

select * from finish();
rollback;
