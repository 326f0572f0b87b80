-- The contract in force is chosen once, by one rule (the view app.contracts_in_force): active, the
-- latest end date first (an open-ended one before all), the latest start, then the newest
-- recorded. Two active contracts with the same dates (a renewal imported twice under two
-- numbers) give the newest, and the decision date, the customer context and a confirmation
-- all read that same contract; before, the tie went to whichever row the plan met first.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'Imported twice', 0, 55, :'today'::date + 73, :'csm'),
  (:'org', 'Open-ended beside a dated one', 0, 55, :'today'::date + 73, :'csm');
select id as twice from app.customers where org_id = :'org' and name = 'Imported twice' \gset
select id as open_ended from app.customers where org_id = :'org' and name = 'Open-ended beside a dated one' \gset

-- The older record auto-renews with 60 days' notice; the newer, same dates, does not.
insert into app.contracts (org_id, customer_id, contract_number, status, start_date, end_date, auto_renew, notice_period_days, created_at)
values (:'org', :'twice', 'OLD-1', 'active', :'today'::date - 300, :'today'::date + 72, true, 60, now() - interval '2 days'),
       (:'org', :'twice', 'NEW-1', 'active', :'today'::date - 300, :'today'::date + 72, false, 30, now() - interval '1 day');
-- An open-ended contract comes before a dated one, whatever was recorded last.
insert into app.contracts (org_id, customer_id, contract_number, status, start_date, end_date, auto_renew, notice_period_days, created_at)
values (:'org', :'open_ended', 'OPEN-1', 'active', :'today'::date - 300, null, true, 60, now() - interval '2 days'),
       (:'org', :'open_ended', 'DATED-1', 'active', :'today'::date - 300, :'today'::date + 72, true, 30, now() - interval '1 day');

select is((select contract_number from app.contracts_in_force where customer_id = :'twice'), 'NEW-1',
          'two active contracts with the same dates: the newest recorded is in force');
select is((select decision_date - :'today'::date from app.customers where id = :'twice'), 73,
          'the decision date takes its terms from that contract: it does not auto-renew, so the renewal date stands');
select is((app.context_financials(:'twice', :'org', 0, now())).body #>> '{contract,contract_number}', 'NEW-1',
          'the customer context shows the same contract');
select is((select contract_number from app.contracts_in_force where customer_id = :'open_ended'), 'OPEN-1',
          'an open-ended contract is in force before a dated one');
select is((select decision_date - :'today'::date from app.customers where id = :'open_ended'), 13,
          'the decision date follows the open-ended contract''s 60 days'' notice');

-- The decision date is worked out from one contract: both terms of NEW-1, never the auto-renew
-- of one and the notice of the other.
update app.contracts set notice_period_days = 90 where customer_id = :'twice' and contract_number = 'NEW-1';
update app.contracts set auto_renew = true where customer_id = :'twice' and contract_number = 'NEW-1';
select is((select decision_date - :'today'::date from app.customers where id = :'twice'), 73 - 90,
          'NEW-1 auto-renewing with 90 days'' notice moves the decision date 90 days before the renewal');
select is((select count(*)::int from app.contracts_in_force where customer_id = :'org'), 0, 'no contract in force: no row');

select * from finish();
rollback;
