-- The customer context (and so the assistant's snapshot) computes the stage from the
-- decision date and shows days until the decision beside days until the renewal, at the
-- stage boundary with a notice period, without one, and without auto_renew.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'Notice 73', 0, 55, :'today'::date + 73, :'csm'),
  (:'org', 'Notice 74', 0, 55, :'today'::date + 74, :'csm'),
  (:'org', 'No auto renew', 0, 55, :'today'::date + 73, :'csm'),
  (:'org', 'No contract', 0, 55, :'today'::date + 73, :'csm');
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days)
select :'org', c.id, 'active', :'today'::date - 300, c.renewal_date - 1, c.name <> 'No auto renew', 60
  from app.customers c where c.org_id = :'org' and c.name <> 'No contract';

select tests.authenticate_as('e_csm');
create temporary table ctx on commit drop as
select c.name, public.get_customer_context(customer_id => c.id) as j from app.customers c;

select is((select (j #>> '{customer,days_until_renewal}')::int from ctx where name = 'Notice 73'), 73, 'days until the renewal stay');
select is((select (j #>> '{customer,days_until_decision}')::int from ctx where name = 'Notice 73'), 13, 'days until the notice deadline beside them');
select is((select (j #>> '{customer,decision_date}')::date from ctx where name = 'Notice 73'), :'today'::date + 13, 'the decision date');
select is((select j #>> '{customer,renewal_stage}' from ctx where name = 'Notice 73'), 'Critical', 'decision in 13 days: Critical');
select is((select j #>> '{customer,renewal_stage}' from ctx where name = 'Notice 74'), 'Signature', 'decision in 14 days: Signature');
select is((select j #>> '{workflow,renewal_stage}' from ctx where name = 'Notice 73'), 'Critical', 'the workflow view agrees');
select is((select (j #>> '{workflow,days_until_decision}')::int from ctx where name = 'Notice 73'), 13, '... with its days until the decision');
select is((select (j #>> '{customer,days_until_decision}')::int from ctx where name = 'No auto renew'), 73, 'without auto_renew the decision date is the renewal date');
select is((select j #>> '{customer,renewal_stage}' from ctx where name = 'No auto renew'), 'Negotiate', '... and so is its stage');
select is((select (j #>> '{customer,days_until_decision}')::int from ctx where name = 'No contract'), 73, 'no contract: the renewal date');

-- Changing the contract changes the next read at once.
select tests.clear_authentication();
update app.contracts set notice_period_days = 90
 where customer_id = (select id from app.customers where name = 'Notice 74' and org_id = :'org');
select tests.authenticate_as('e_csm');
select is((public.get_customer_context(customer_id => (select id from app.customers where name = 'Notice 74' and org_id = :'org')) #>> '{customer,renewal_stage}'),
          'Overdue', 'a longer notice period re-stages at once: the deadline has passed');
select is((public.get_customer_context(customer_id => (select id from app.customers where name = 'Notice 74' and org_id = :'org')) #>> '{customer,days_until_decision}')::int,
          -16, '... 16 days ago');
select tests.clear_authentication();

select * from finish();
rollback;
