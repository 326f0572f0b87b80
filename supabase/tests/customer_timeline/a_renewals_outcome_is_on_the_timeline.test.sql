-- A renewal's recorded outcome is on the customer's timeline, said as a CSM reads it, its ARR
-- as money as every screen says one ("Renewed at $25,000, was $22,000"); before, only the
-- stage change and the workflow's completion were there, and nothing said how it ended.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Renews', 22000, 80, :'today'::date + 40, :'csm') returning id as renews \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Shrinks', 1250000, 80, :'today'::date + 40, :'csm') returning id as shrinks \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Leaves', 22000, 80, :'today'::date + 40, :'csm') returning id as leaves \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select (select e.id from app.workflow_executions e where e.customer_id = :'renews' and e.renewal_stage is not null and e.status = 'queued') as renews_ex,
       (select e.id from app.workflow_executions e where e.customer_id = :'shrinks' and e.renewal_stage is not null and e.status = 'queued') as shrinks_ex,
       (select e.id from app.workflow_executions e where e.customer_id = :'leaves' and e.renewal_stage is not null and e.status = 'queued') as leaves_ex \gset

select tests.authenticate_as('e_csm');
select public.record_renewal_outcome(:'renews_ex', 'renewed', 25000) is not null as done \gset
select public.record_renewal_outcome(:'shrinks_ex', 'downgraded', 999999.5) is not null as done \gset
select public.record_renewal_outcome(:'leaves_ex', 'churned') is not null as done \gset

create temporary table outcome_entries on commit drop as
  select c.id as customer_id, i as entry
    from app.customers c,
         jsonb_array_elements(public.get_customer_timeline(c.id, 50, null, '["renewal_outcome"]'::jsonb) -> 'items') i
   where c.id in (:'renews', :'shrinks', :'leaves');

select is((select count(*)::int from outcome_entries where customer_id = :'renews'), 1, 'the renewal''s outcome is one entry of its customer''s timeline');
select is((select entry - 'id' - 'occurred_at' from outcome_entries where customer_id = :'renews'),
  jsonb_build_object('kind', 'renewal_outcome', 'subtype', 'renewed', 'title', 'Renewed at $25,000, was $22,000', 'summary', null,
    'actor', jsonb_build_object('id', :'csm', 'full_name', (select full_name from app.profiles where id = :'csm')),
    'execution_id', :'renews_ex',
    'details', jsonb_build_object('outcome', 'renewed', 'previous_arr', 22000, 'new_arr', 25000, 'renewal_date', :'today'::date + 40)),
  'it says the new ARR and the old one as money, who recorded it and the workflow it closed');
select is((select entry ->> 'title' from outcome_entries where customer_id = :'shrinks'), 'Downgraded to $1,000,000, was $1,250,000',
  'a downgrade says what the ARR went down to, in whole dollars with thousands separated');
select is((select entry ->> 'title' from outcome_entries where customer_id = :'leaves'), 'Churned, was $22,000', 'a churn says the ARR lost');
select is((select (entry ->> 'occurred_at')::timestamptz from outcome_entries where customer_id = :'renews'),
  (select recorded_at from app.renewal_outcomes where customer_id = :'renews'), 'it is dated when it was recorded');

select ok((select 'renewal_outcome' = any(array(select jsonb_array_elements_text(public.get_customer_timeline(:'renews') -> 'kinds')))),
  'renewal_outcome is one of the kinds the timeline lists');
select ok((select bool_or(i ->> 'kind' = 'renewal_outcome')
             from jsonb_array_elements(public.get_customer_timeline(:'renews') -> 'items') i), 'the whole timeline shows it too');
select is((select count(*)::int from jsonb_array_elements(public.get_customer_timeline(:'renews', 50, null, '["stage_change"]'::jsonb) -> 'items') i
            where i ->> 'kind' = 'renewal_outcome'), 0, 'a filter without it leaves it out');

select * from finish();
rollback;
