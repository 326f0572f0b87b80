-- The retention figures kept by the ARR-history trigger (app.retention_figures,
-- app.retention_state) answer every pair exactly as a fresh computation from ARR history
-- does (app.compute_retention), after each kind of change: rows added one by one (the
-- frontier moving month by month), a bulk insert, changed amounts, a row moved to another
-- month (backdated) or another customer, deletes, history before the organisation's first
-- row, a future-dated row, a customer deleted (cascade), a new time zone. Pairs checked:
-- every month start e from 2024-01 to 2028-01 with e − s of 1, 3 and 12 months (kept),
-- 2 and 24 months (computed), and pairs ending after the newest row (read against the
-- latest ARR).
begin;
select plan(19);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'Europe/Berlin' where org_id = :'org';
insert into app.customers (org_id, name, arr) select :'org', n, 1 from unnest(array['A','B','C','D','E','F']) n;
insert into app.customers (org_id, name, arr) values (:'other_org', 'Elsewhere', 1);
create temporary table c on commit drop as select name, id from app.customers where org_id = :'org';

-- Every pair compared, read as the service role would (the read checks the caller).
create temporary table pairs on commit drop as
  select (e - make_interval(months => k))::date as s, e::date as e
    from generate_series('2024-01-01'::date, '2028-01-01'::date, interval '1 month') e
    cross join (values (1), (2), (3), (12), (24)) l(k);
create or replace function pg_temp.mismatches() returns bigint language sql as $$
  with kept as (select * from app.retention_pairs(
                  (select id from app.organisations where name = 'Engine Org'),
                  (select array_agg(s) from pg_temp.pairs), (select array_agg(e) from pg_temp.pairs))),
       fresh as (select * from app.retention_figures_recomputed(
                  (select id from app.organisations where name = 'Engine Org'),
                  (select array_agg(s) from pg_temp.pairs), (select array_agg(e) from pg_temp.pairs)))
  select count(*) from (
    (select period_start, period_end, customers, starting_arr::numeric(16, 2), expansion::numeric(16, 2),
            contraction::numeric(16, 2), churn::numeric(16, 2) from kept
     except
     select period_start, period_end, customers, starting_arr::numeric(16, 2), expansion::numeric(16, 2),
            contraction::numeric(16, 2), churn::numeric(16, 2) from fresh)
    union all
    (select period_start, period_end, customers, starting_arr::numeric(16, 2), expansion::numeric(16, 2),
            contraction::numeric(16, 2), churn::numeric(16, 2) from fresh
     except
     select period_start, period_end, customers, starting_arr::numeric(16, 2), expansion::numeric(16, 2),
            contraction::numeric(16, 2), churn::numeric(16, 2) from kept)) d
$$;
select set_config('request.jwt.claims', '{"role": "service_role"}', true) is not null as claims \gset

-- 1. One row at a time, in time order (month boundaries at 00:00 Berlin time).
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 1000, '2024-03-10Z' from c where name = 'A';
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 2000, '2024-05-31 22:30Z' from c where name = 'B';
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 1500.50, '2024-08-01Z' from c where name = 'A';
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 500, '2025-01-15Z' from c where name = 'C';
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 0, '2025-04-02Z' from c where name = 'B';
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 2500, '2025-09-20Z' from c where name = 'B';
select is(pg_temp.mismatches(), 0::bigint, 'rows added one at a time, each month moving the frontier on');

-- 2. A bulk insert across customers and months.
insert into app.arr_history (org_id, customer_id, arr, recorded_at)
select :'org', c.id, v.arr, v.at::timestamptz
  from (values ('C', 800.25, '2025-06-30 23:00Z'), ('D', 3000, '2024-11-01Z'), ('D', 3300, '2025-11-01Z'),
               ('E', 700, '2025-02-14Z'), ('E', 0, '2025-12-24Z'), ('A', 900, '2026-02-01Z'), ('A', 950, '2026-02-01Z'),
               ('C', 900, '2026-03-03Z')) v(name, arr, at)
  join c on c.name = v.name;
select is(pg_temp.mismatches(), 0::bigint, 'a bulk insert (two rows at the same time for one customer: the later one wins)');

-- 3. Changed amounts, and a row moved back in time.
update app.arr_history set arr = arr + 123.45 where org_id = :'org' and customer_id in (select id from c where name in ('A', 'D'));
select is(pg_temp.mismatches(), 0::bigint, 'amounts changed');
update app.arr_history set recorded_at = '2024-02-01Z' where org_id = :'org' and arr = 500;
select is(pg_temp.mismatches(), 0::bigint, 'a row backdated by a year');

-- 4. History before the organisation's first row, and a row moved to another customer.
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 4000, '2023-06-01Z' from c where name = 'F';
select is(pg_temp.mismatches(), 0::bigint, 'a row before the organisation''s first one');
update app.arr_history set customer_id = (select id from c where name = 'F')
 where org_id = :'org' and customer_id = (select id from c where name = 'E') and arr = 0;
select is(pg_temp.mismatches(), 0::bigint, 'a row moved to another customer');

-- 5. Deletes.
delete from app.arr_history where org_id = :'org' and recorded_at = '2025-09-20Z';
select is(pg_temp.mismatches(), 0::bigint, 'a row deleted');
delete from app.customers where org_id = :'org' and name = 'D';
select is(pg_temp.mismatches(), 0::bigint, 'a customer deleted (its history goes by cascade)');

-- 6. A row dated in the future: pairs up to it are kept, pairs after it read the latest ARR.
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 5000, '2027-05-05Z' from c where name = 'C';
select is(pg_temp.mismatches(), 0::bigint, 'a future-dated row moves the frontier months ahead');
select is((select frontier from app.retention_state where org_id = :'org'), '2027-06-01'::date, 'the frontier is the month start after the newest row');
delete from app.arr_history where org_id = :'org' and recorded_at = '2027-05-05Z';
select is(pg_temp.mismatches(), 0::bigint, '... and deleting it again');

-- 7. Another time zone rebuilds the figures in it: at once for a small organisation; for a
-- large one (here made to look large) reads compute until the minutely job rebuilds.
update app.organisation_settings set time_zone = 'America/Los_Angeles' where org_id = :'org';
select is(pg_temp.mismatches(), 0::bigint, 'a new time zone');
select is((select time_zone from app.retention_state where org_id = :'org'), 'America/Los_Angeles', 'the figures are in the new time zone');
update app.retention_state set customers = customers + 100000 where org_id = :'org';
update app.organisation_settings set time_zone = 'Asia/Tokyo' where org_id = :'org';
insert into app.arr_history (org_id, customer_id, arr, recorded_at) select :'org', id, 777, '2025-10-10Z' from c where name = 'A';
select is((select time_zone from app.retention_state where org_id = :'org'), 'America/Los_Angeles', 'a large organisation keeps its figures until the job runs');
select is(pg_temp.mismatches(), 0::bigint, '... and meanwhile reads compute from ARR history');
select is(app.rebuild_stale_retention(), 1, 'the job rebuilds that organisation');
select is(pg_temp.mismatches(), 0::bigint, 'after the rebuild the kept figures match in Tokyo time');
select is((select command from cron.job where jobname = 'rebuild-stale-retention'), 'select app.rebuild_stale_retention()', 'pg_cron runs it every minute');

-- 8. The other organisation's history changes nothing here.
insert into app.arr_history (org_id, customer_id, arr, recorded_at)
select :'other_org', id, 99999, '2025-01-01Z' from app.customers where org_id = :'other_org';
select is(pg_temp.mismatches(), 0::bigint, 'another organisation''s rows do not count here');

select * from finish();
rollback;
