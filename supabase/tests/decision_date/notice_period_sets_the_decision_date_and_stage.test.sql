-- The decision date is renewal_date - notice_period_days when the contract in force
-- auto-renews with a notice period, else the renewal date; the stage follows it, at its
-- boundaries, with and without a notice period.
begin;
select plan(16);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'No contract 13', 0, 55, :'today'::date + 13, :'csm'),
  (:'org', 'No contract 14', 0, 55, :'today'::date + 14, :'csm'),
  (:'org', 'Notice 73', 0, 55, :'today'::date + 73, :'csm'),
  (:'org', 'Notice 74', 0, 55, :'today'::date + 74, :'csm'),
  (:'org', 'Notice 59', 0, 55, :'today'::date + 59, :'csm'),
  (:'org', 'Notice 60', 0, 55, :'today'::date + 60, :'csm'),
  (:'org', 'No auto renew', 0, 55, :'today'::date + 73, :'csm'),
  (:'org', 'Zero notice', 0, 55, :'today'::date + 73, :'csm');
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days)
select :'org', c.id, 'active', :'today'::date - 300, c.renewal_date - 1, c.name <> 'No auto renew',
       case when c.name = 'Zero notice' then 0 else 60 end
  from app.customers c where c.org_id = :'org' and (c.name like 'Notice %' or c.name in ('No auto renew', 'Zero notice'));

create temporary table dd on commit drop as
select c.name, c.decision_date - :'today'::date as days, c.renewal_stage from app.customers c where c.org_id = :'org';

select is((select days from dd where name = 'No contract 13'), 13, 'no contract: the decision date is the renewal date');
select is((select renewal_stage from dd where name = 'No contract 13'), 'Critical', 'no contract: 13 days is Critical');
select is((select renewal_stage from dd where name = 'No contract 14'), 'Signature', 'no contract: 14 days is Signature');
select is((select days from dd where name = 'Notice 73'), 13, 'auto-renew, 60 days notice: renewal in 73 days, decision in 13');
select is((select renewal_stage from dd where name = 'Notice 73'), 'Critical', 'decision in 13 days is Critical');
select is((select renewal_stage from dd where name = 'Notice 74'), 'Signature', 'decision in 14 days is Signature');
select is((select renewal_stage from dd where name = 'Notice 59'), 'Overdue', 'notice deadline passed yesterday: Overdue while the renewal is 59 days away');
select is((select renewal_stage from dd where name = 'Notice 60'), 'Emergency', 'notice deadline today: Emergency');
select is((select days from dd where name = 'No auto renew'), 73, 'a contract without auto_renew keeps the renewal date');
select is((select renewal_stage from dd where name = 'No auto renew'), 'Negotiate', '... and its stage');
select is((select days from dd where name = 'Zero notice'), 73, 'a zero notice period keeps the renewal date');

-- The restamp job and the pure function agree.
select is(app.restamp_renewal_stages(), 0, 'the hourly re-stamp finds nothing stale');
select is(app.calculate_decision_date('2027-03-30', true, 60), '2027-01-29'::date, 'pure: 30 Mar with 60 days notice is 29 Jan');
select is(app.calculate_decision_date('2027-03-30', false, 60), '2027-03-30'::date, 'pure: no auto-renew');
select is(app.calculate_decision_date('2027-03-30', true, null), '2027-03-30'::date, 'pure: no notice period');
select is(app.calculate_decision_date(null, true, 60), null::date, 'pure: no renewal date');

select * from finish();
rollback;
