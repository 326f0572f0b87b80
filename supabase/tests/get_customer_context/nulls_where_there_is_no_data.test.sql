-- A customer without history gets nulls, never made-up figures: no usage, no engagement,
-- no previous ARR, no trends, no team, and freshness says there is no data.
begin;
select plan(16);
select tests.create_rls_world();
select tests.authenticate_as('manager_a');
create temporary view ctx as
  select public.get_customer_context(customer_id => tests.row_id('customers', 'a-open')) as c;

select is((select c #>> '{customer,name}' from ctx), 'Acme open', 'the customer itself is there');
select is((select c #> '{data,usage,active_users}' from ctx), 'null'::jsonb, 'no usage: active users null');
select is((select c #> '{data,usage,utilisation}' from ctx), 'null'::jsonb, 'no usage: utilisation null');
select is((select c #> '{data,usage,trend}' from ctx), 'null'::jsonb, 'no usage: trend null');
select is((select c #> '{data,engagement,last_contact_at}' from ctx), 'null'::jsonb, 'no events: last contact null');
select is((select c #> '{data,engagement,nps_score}' from ctx), 'null'::jsonb, 'no events: NPS null');
select is((select c #> '{data,engagement,open_tickets}' from ctx), 'null'::jsonb, 'no ticket data: open tickets null, not 0');
select is((select c #> '{data,financials,previous_arr}' from ctx), 'null'::jsonb, 'no ARR history: previous ARR null');
select is((select c #> '{data,financials,growth_rate}' from ctx), 'null'::jsonb, 'no ARR history: growth rate null');
select is((select c #> '{intelligence,health,trend}' from ctx), 'null'::jsonb, 'one score snapshot: no trend');
select is((select c #> '{account_team,csm}' from ctx), 'null'::jsonb, 'nobody assigned: no csm');
select is((select c #> '{account_team,stakeholders}' from ctx), '[]'::jsonb, 'no stakeholders');
select is((select c #> '{workflow,execution}' from ctx), 'null'::jsonb, 'no open renewal execution');
select is((select c #> '{freshness,usage}' from ctx), 'null'::jsonb, 'freshness: no usage data');
select is((select c #> '{freshness,engagement}' from ctx), 'null'::jsonb, 'freshness: no engagement data');
select is((select c #> '{freshness,financials}' from ctx), 'null'::jsonb, 'freshness: no financial history');

select * from finish();
rollback;
