-- The totals kept over an organisation hold the sum of any book: 150 customers at the
-- largest ARR a customer may have (999 999 999 999.99) are kept and read without the
-- database's "numeric field overflow", and a further ARR change still applies.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, renewal_date, assigned_to)
select :'org', 'Giant ' || n, 999999999999.99, :'today'::date + 40, :'csm' from generate_series(1, 150) n;
-- Their ARR history, as the ingest writes it (what the retention figures are kept from).
insert into app.arr_history (org_id, customer_id, arr, recorded_at, source)
select :'org', c.id, c.arr, now() - interval '2 days', 'ingest' from app.customers c where c.org_id = :'org';

select is((select arr from app.retention_state where org_id = :'org'), 150 * 999999999999.99,
  'the kept ARR of the organisation is the whole sum');
select lives_ok(format($$ insert into app.arr_history (org_id, customer_id, arr, recorded_at, source)
                         select %L, c.id, 500000000000, now() - interval '1 day', 'ingest' from app.customers c where c.name = 'Giant 2' $$, :'org'),
  'a further ARR change applies');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select tests.authenticate_as('e_manager');
select lives_ok(format($$ select public.get_retention_metrics((date_trunc('month', %L::date)::date - 365)::text, date_trunc('month', %L::date)::date::text) $$, :'today', :'today'),
  'retention reads');
select lives_ok(format($$ select public.get_renewal_forecast(%L, (%L::date + 90)::text) $$, :'today', :'today'), 'the forecast reads');
select tests.clear_authentication();
select cmp_ok((select max(current_arr) from app.forecast_book_totals), '>', 1e14::numeric,
  'the forecast''s kept totals hold more than 10^14');

select * from finish();
rollback;
