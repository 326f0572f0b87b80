-- The assistant's snapshot of a customer (app.chat_customer_context, recorded when a chat
-- thread opens) is the customer context: it stages the renewal by the notice deadline and
-- carries days until the decision beside days until the renewal; so does its fallback, the
-- customer record alone, taken when get_customer_context cannot answer.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 0, 55, :'today'::date + 80, :'csm') returning id as cust \gset
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days)
values (:'org', :'cust', 'active', :'today'::date - 285, :'today'::date + 79, true, 70);
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select id as execution from app.workflow_executions where customer_id = :'cust' and status = 'queued' \gset

select tests.authenticate_as('e_csm');
select app.chat_customer_context(:'execution') as snapshot \gset
select tests.clear_authentication();
select is((:'snapshot'::jsonb #>> '{customer,renewal_stage}'), 'Critical', 'the snapshot stages by the decision date (10 days)');
select is((:'snapshot'::jsonb #>> '{customer,days_until_decision}')::int, 10, 'it carries days until the decision');
select is((:'snapshot'::jsonb #>> '{customer,days_until_renewal}')::int, 80, 'beside days until the renewal');

-- The fallback: get_customer_context unavailable (dropped inside this rolled-back test).
drop function public.get_customer_context(uuid, uuid);
select tests.authenticate_as('e_csm');
select app.chat_customer_context(:'execution') as fallback \gset
select tests.clear_authentication();
select is((:'fallback'::jsonb #>> '{freshness,source}'), 'customer record only', 'the fallback is the customer record');
select is((:'fallback'::jsonb #>> '{customer,renewal_stage}'), 'Critical', 'it stages by the decision date too');
select is((:'fallback'::jsonb #>> '{customer,days_until_decision}')::int, 10, 'and carries days until the decision');

select * from finish();
rollback;
