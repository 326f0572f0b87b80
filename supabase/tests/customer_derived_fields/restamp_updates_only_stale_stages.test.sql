-- The daily re-stamp moves stored stages on as days pass, writes only what changed,
-- and is what the pg_cron job runs.
begin;
select plan(8);

select tests.create_organisation('Restamp') as org_id \gset
select tests.create_organisation('Other') as other_id \gset

insert into app.customers (org_id, name, renewal_date) values
  (:'org_id', 'Fourteen', (now() at time zone 'UTC')::date + 14),  -- Signature today, Critical tomorrow
  (:'org_id', 'Far', (now() at time zone 'UTC')::date + 400),      -- Monitor either way
  (:'org_id', 'Undated', null),
  (:'other_id', 'Elsewhere', (now() at time zone 'UTC')::date + 14);

select is(app.restamp_renewal_stages(null, :'org_id'), 0, 'nothing is stale today');
select is(app.restamp_renewal_stages((now() at time zone 'UTC')::date + 1, :'org_id'), 1, 'one day later one customer moves on');
select is((select renewal_stage from app.customers where name = 'Fourteen'), 'Critical', 'it moved to Critical');
select is((select renewal_stage from app.customers where name = 'Elsewhere'), 'Signature', 'another organisation is left alone when one is named');
select is(app.restamp_renewal_stages((now() at time zone 'UTC')::date + 1, :'org_id'), 0, 'a second run changes nothing');
select cmp_ok(app.restamp_renewal_stages((now() at time zone 'UTC')::date + 15), '>=', 2, 'without an organisation every organisation is re-stamped');
select is(array(select renewal_stage from app.customers where name in ('Fourteen', 'Elsewhere') order by name),
          array['Overdue', 'Overdue'], 'both organisations'' customers moved on');

select is((select command from cron.job where jobname = 'restamp-renewal-stages'), 'select app.restamp_renewal_stages()',
          'pg_cron runs the re-stamp');

select * from finish();
rollback;
