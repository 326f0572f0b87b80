-- An open renewal in the forecast carries how far its decision and its renewal are, in days
-- from the organisation's own today (migration 20261206290000): negative once past, so the
-- Forecast page can say "12 days overdue"; the notice deadline of an auto-renewing contract
-- is its decision; a recorded outcome carries no days. The organisation is set far east of
-- UTC so that its today is not the server's whenever the two differ.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'Pacific/Kiritimati' where org_id = :'org';
select app.organisation_today(:'org') as today \gset
select (date_trunc('month', :'today'::date - 40))::date as p0 \gset
select (:'p0'::date + interval '6 months')::date as p1 \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'A overdue', 95000, 60, :'today'::date - 12, :'csm'),
  (:'org', 'B soon', 240000, 80, :'today'::date + 3, :'csm'),
  (:'org', 'C closed', 40000, 70, :'today'::date + 5, :'csm'),
  (:'org', 'D auto-renewing', 50000, 70, :'today'::date + 50, :'csm');
-- D renews by itself unless notice is given 60 days before: its decision was 10 days ago
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days)
select :'org', c.id, 'active', :'today'::date - 300, c.renewal_date - 1, true, 60
  from app.customers c where c.org_id = :'org' and c.name = 'D auto-renewing';
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

select tests.authenticate_as('e_manager');
select public.record_renewal_outcome(
  (select e.id from app.workflow_executions e join app.customers c on c.id = e.customer_id
    where c.name = 'C closed' and c.org_id = :'org' and e.renewal_stage is not null and e.status = 'queued' limit 1),
  'renewed', 40000) is not null as c \gset

select tests.authenticate_as('e_csm');
select public.get_renewal_forecast(:'p0', :'p1') as fc \gset
create temp table items on commit drop as
  select x -> 'customer' ->> 'name' as name, x from jsonb_array_elements(:'fc'::jsonb -> 'items') x;

select is((select (x ->> 'days_until_decision')::int from items where name = 'A overdue'), -12,
  'a renewal 12 days past its date is 12 days overdue, by the organisation''s today');
select is((select (x ->> 'days_until_renewal')::int from items where name = 'A overdue'), -12,
  'and so is its renewal date');
select is((select (x ->> 'days_until_decision')::int from items where name = 'B soon'), 3,
  'a renewal due in three days says 3');
select is((select jsonb_build_array((x ->> 'days_until_decision')::int, (x ->> 'days_until_renewal')::int) from items where name = 'D auto-renewing'),
  jsonb_build_array(-10, 50), 'an auto-renewing contract counts its decision to the notice deadline');
select is((select jsonb_build_array(x -> 'days_until_decision', x -> 'days_until_renewal') from items where name = 'C closed'),
  '[null, null]'::jsonb, 'a recorded outcome carries no days');

select * from finish();
rollback;
