-- Retention is asked for between dates of the years 2000 to 2099, like every date a person
-- sends; a period in year 1 or 9999 is 22023 naming the argument (migration 20261205193000).
begin;
select plan(3);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select throws_ok($$ select public.get_retention_metrics('0001-01-01', '0002-01-01') $$,
  '22023', 'period_start must be a date in the years 2000 to 2099', 'a period in year 1 is refused');
select throws_ok($$ select public.get_retention_metrics('2099-01-01', '9999-01-01') $$,
  '22023', 'period_end must be a date in the years 2000 to 2099', 'an end in 9999 is refused');
select lives_ok($$ select public.get_retention_metrics('2026-01-01', '2027-01-01') $$, 'a year of 2026 is read');
select * from finish();
rollback;
