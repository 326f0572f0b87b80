-- get_retention_metrics against a fixture computed by hand (docs/forecast-and-retention.md
-- walks through the same numbers). Organisation time zone UTC; period Q1 2026, monthly.
--
--   customer            ARR history (recorded at)                         in the cohort?
--   A expands           2025-06-10 10 000.00; 2026-02-15 12 500.50           yes: +2 500.50
--   B contracts         2025-03-01 20 000.00; 2026-01-20 15 000.25           yes: -4 999.75
--   C churns            2025-11-30  8 000.00; 2026-03-31 23:59 0.00          yes: churn 8 000
--   D flat              2024-12-01  5 000.00                                 yes: nothing
--   E added mid-period  2026-02-01 12:00 7 000.00                            no (0 at start)
--   F no history        (customers.arr 9 000, no ARR history at all)         no
--   G up and back       2025-01-01 3 000; 2026-01-10 4 000; 2026-03-10 3 000 yes: nothing overall
--   H churned before    2025-05-01 6 000; 2025-12-15 0                       no (0 at start)
--   I change at end     2025-01-01 1 000; 2026-04-01 00:00 2 000             yes: nothing (after the end)
--   J change at start   2025-01-01 4 000; 2026-01-01 00:00 4 500             yes: +500 (at the start = in the period)
--
-- Q1: S = 10 000 + 20 000 + 8 000 + 5 000 + 3 000 + 1 000 + 4 000 = 51 000.00
--     expansion 3 000.50, contraction 4 999.75, churn 8 000.00
--     GRR = (51 000 − 4 999.75 − 8 000) / 51 000 = 0.7451; NRR = 41 000.75 / 51 000 = 0.8039
-- Jan: S 51 000, +1 500 (G, J), −4 999.75 (B)        GRR 0.9020 NRR 0.9314
-- Feb: S 47 500.25, +2 500.50 (A)                      GRR 1.0000 NRR 1.0526
-- Mar: S 57 000.75 (E joins), −1 000 (G), churn 8 000  GRR 0.8421 NRR 0.8421
-- Trailing 12 months to 1 Apr 2026: S 33 000 (B, D, G, I, J), +500, −4 999.75
--                                                      GRR 0.8485 NRR 0.8636
begin;
select plan(16);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'UTC' where org_id = :'org';
insert into app.customers (org_id, name, arr) select :'org', n, 1 from unnest(array['A','B','C','D','E','F','G','H','I','J']) n;
update app.customers set arr = 9000 where org_id = :'org' and name = 'F';
insert into app.arr_history (org_id, customer_id, arr, recorded_at)
select :'org', c.id, v.arr, v.at::timestamptz
  from (values
    ('A', 10000.00, '2025-06-10 09:00Z'), ('A', 12500.50, '2026-02-15 09:00Z'),
    ('B', 20000.00, '2025-03-01 09:00Z'), ('B', 15000.25, '2026-01-20 09:00Z'),
    ('C', 8000.00, '2025-11-30 09:00Z'), ('C', 0, '2026-03-31 23:59Z'),
    ('D', 5000.00, '2024-12-01 09:00Z'),
    ('E', 7000.00, '2026-02-01 12:00Z'),
    ('G', 3000, '2025-01-01 09:00Z'), ('G', 4000, '2026-01-10 09:00Z'), ('G', 3000, '2026-03-10 09:00Z'),
    ('H', 6000, '2025-05-01 09:00Z'), ('H', 0, '2025-12-15 09:00Z'),
    ('I', 1000, '2025-01-01 09:00Z'), ('I', 2000, '2026-04-01 00:00Z'),
    ('J', 4000, '2025-01-01 09:00Z'), ('J', 4500, '2026-01-01 00:00Z')
  ) v(name, arr, at)
  join app.customers c on c.org_id = :'org' and c.name = v.name;
-- The other organisation has ARR too; it must not leak in.
insert into app.customers (org_id, name, arr) values (:'other_org', 'Elsewhere', 1);
insert into app.arr_history (org_id, customer_id, arr, recorded_at)
select :'other_org', id, 99999, '2024-01-01Z' from app.customers where org_id = :'other_org';

select tests.authenticate_as('e_viewer');
select public.get_retention_metrics('2026-01-01', '2026-04-01') as r \gset
select is(
  jsonb_build_array((:'r'::jsonb ->> 'customers')::int, (:'r'::jsonb ->> 'starting_arr')::numeric, (:'r'::jsonb ->> 'expansion')::numeric,
                    (:'r'::jsonb ->> 'contraction')::numeric, (:'r'::jsonb ->> 'churn')::numeric),
  '[7, 51000.00, 3000.50, 4999.75, 8000.00]'::jsonb, 'Q1: cohort of 7, starting ARR, expansion, contraction, churn to the cent');
select is((:'r'::jsonb ->> 'grr')::numeric, 0.7451, 'Q1 GRR = (S - contraction - churn) / S');
select is((:'r'::jsonb ->> 'nrr')::numeric, 0.8039, 'Q1 NRR = (S + expansion - contraction - churn) / S');
select is((:'r'::jsonb ->> 'ending_arr')::numeric, 41000.75, 'the cohort''s ending ARR');
select is(jsonb_array_length(:'r'::jsonb -> 'series'), 3, 'a monthly series of three months');
select is(
  (select jsonb_agg(jsonb_build_array(x ->> 'period_start', (x ->> 'starting_arr')::numeric, (x ->> 'expansion')::numeric,
                                      (x ->> 'contraction')::numeric, (x ->> 'churn')::numeric, (x ->> 'grr')::numeric, (x ->> 'nrr')::numeric)
                    order by x ->> 'period_start')
     from jsonb_array_elements(:'r'::jsonb -> 'series') x),
  '[["2026-01-01", 51000.00, 1500.00, 4999.75, 0, 0.9020, 0.9314],
    ["2026-02-01", 47500.25, 2500.50, 0, 0, 1.0000, 1.0526],
    ["2026-03-01", 57000.75, 0, 1000.00, 8000.00, 0.8421, 0.8421]]'::jsonb,
  'each month: starting ARR (E joins in March), expansion, contraction, churn, GRR, NRR');
select is(
  (select jsonb_build_array(t ->> 'period_start', t ->> 'period_end', (t ->> 'starting_arr')::numeric, (t ->> 'expansion')::numeric,
                            (t ->> 'contraction')::numeric, (t ->> 'churn')::numeric, (t ->> 'grr')::numeric, (t ->> 'nrr')::numeric)
     from (select :'r'::jsonb -> 'series' -> 2 -> 'trailing_12_months' as t) s),
  '["2025-04-01", "2026-04-01", 33000.00, 500.00, 4999.75, 0, 0.8485, 0.8636]'::jsonb,
  'March''s trailing 12 months (H churned before its start and A, C, E started after it: not counted)');
select is(public.get_retention_metrics('2026-01-01', '2026-04-01', 'quarter') - 'granularity' - 'series',
          :'r'::jsonb - 'granularity' - 'series', 'the same quarter with granularity quarter gives the same figures');

-- A change of ARR history is seen at once (the cache is stamped with a version).
select tests.authenticate_as('e_manager');
insert into app.arr_history (org_id, customer_id, arr, recorded_at)
select :'org', id, 5600, '2026-03-05Z' from app.customers where org_id = :'org' and name = 'D';
select is((public.get_retention_metrics('2026-01-01', '2026-04-01') ->> 'expansion')::numeric, 3600.50, 'a new ARR row counts at once');
delete from app.arr_history where org_id = :'org' and arr = 5600;
select is((public.get_retention_metrics('2026-01-01', '2026-04-01') ->> 'expansion')::numeric, 3000.50, '... and so does deleting it');
select tests.clear_authentication();
update app.organisation_settings set time_zone = 'America/Los_Angeles' where org_id = :'org';
select tests.authenticate_as('e_viewer');
select is((select jsonb_build_array((r ->> 'starting_arr')::numeric, (r ->> 'expansion')::numeric)
             from public.get_retention_metrics('2026-01-01', '2026-04-01') r),
  '[51500.00, 3500.50]'::jsonb,
  'the organisation''s time zone decides the dates: in Los Angeles J''s change (1 Jan 00:00 UTC) is before the start, I''s (1 Apr 00:00 UTC) before the end');

select tests.authenticate_as('o_csm');
select is((public.get_retention_metrics('2026-01-01', '2026-04-01') ->> 'starting_arr')::numeric, 99999.00, 'another organisation sees only its own ARR');
select is((select count(*)::int from app.retention_cache where org_id = :'org'), 0, 'and none of org A''s cached figures');

select throws_ok($$ select public.get_retention_metrics('2026-01-02', '2026-04-01') $$, '22023', null, 'a period that does not start on a month start is refused');
select throws_ok($$ select public.get_retention_metrics('2026-02-01', '2026-04-01', 'quarter') $$, '22023', null, 'quarters start in January, April, July, October');
select throws_ok($$ select public.get_retention_metrics('2026-01-01', '2026-04-01', 'week') $$, '22023', null, 'an unknown granularity is refused');

select * from finish();
rollback;
