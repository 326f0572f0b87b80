-- record_renewal_outcome: renewed keeps or raises the ARR, downgraded lowers it (not to 0),
-- churned sets it to 0; the customer's ARR, ARR history (only when it changed) and renewal
-- date follow, the renewal workflow completes, and the forecast at the time is kept.
-- Once per renewal; not by a viewer, another csm, another organisation, or anyone while
-- the renewal is escalated.
begin;
select plan(30);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'Renews', 100000, 80, :'today'::date + 40, :'csm'),
  (:'org', 'Shrinks', 50000, 45, :'today'::date + 40, :'csm'),
  (:'org', 'Leaves', 80000, 30, :'today'::date + 40, :'csm'),
  (:'org', 'Grows', 60000, 70, :'today'::date + 40, :'csm2');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
create temp table r on commit drop as
  select c.name, c.id as cust, e.id as eid from app.customers c
  join app.workflow_executions e on e.customer_id = c.id and e.status = 'queued' and e.renewal_stage is not null
  where c.org_id = :'org';
grant select on r to authenticated;
select eid as renews from r where name = 'Renews' \gset
select eid as shrinks from r where name = 'Shrinks' \gset
select eid as leaves from r where name = 'Leaves' \gset
select eid as grows from r where name = 'Grows' \gset

select tests.authenticate_as('e_viewer');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed') $$, :'renews'), '42501', null, 'a viewer cannot record an outcome');
select tests.authenticate_as('o_manager');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed') $$, :'renews'), 'PT404', null, 'another organisation does not find it');
select tests.authenticate_as('e_csm2');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed') $$, :'renews'), '42501', null, 'another csm cannot record it');

select tests.authenticate_as('e_csm');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'won') $$, :'renews'), '22023', null, 'an unknown outcome is refused');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed', 90000) $$, :'renews'), '22023',
  'A renewal at less than the current ARR (100000.00) is a downgrade', 'renewed below the current ARR is a downgrade');
select public.set_renewal_forecast(:'renews', 'commit') is not null as committed \gset
select public.record_renewal_outcome(:'renews', 'renewed') as o \gset
select is((:'o'::jsonb ->> 'new_arr')::numeric, 100000.00, 'renewed without new_arr: the ARR stays');
select is((select arr from app.customers where name = 'Renews'), 100000.00, '... on the customer');
select is((select renewal_date from app.customers where name = 'Renews'), (:'today'::date + 40 + interval '12 months')::date, '... and the next renewal is a year later');
select is((select count(*)::int from app.arr_history h join r on r.cust = h.customer_id where r.name = 'Renews'), 0, '... no ARR history row (nothing changed)');
select is((select status from app.workflow_executions where id = :'renews'), 'completed', 'the renewal workflow is completed');
select is((select outcome ->> 'renewal_outcome' from app.workflow_executions where id = :'renews'), 'renewed', '... with its outcome');
select is((select forecast_category from app.renewal_outcomes where execution_id = :'renews'), 'commit', 'the forecast at the time is kept');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'churned') $$, :'renews'), 'PT409', null, 'a second outcome is a conflict');

select throws_ok(format($$ select public.record_renewal_outcome(%L, 'downgraded') $$, :'shrinks'), '22023', null, 'a downgrade needs a new ARR');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'downgraded', 50000) $$, :'shrinks'), '22023', null, 'a downgrade to the same ARR is refused');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'downgraded', 0) $$, :'shrinks'), '22023', 'A downgrade to 0 is a churn', 'a downgrade to 0 is a churn');
select is(public.record_renewal_outcome(:'shrinks', 'downgraded', 40000.5) ->> 'new_arr', '40000.50', 'downgraded to 40 000.50');
select results_eq(
  $$ select h.arr, h.source from app.arr_history h join r on r.cust = h.customer_id where r.name = 'Shrinks' $$,
  $$ values (40000.50::numeric(14, 2), 'renewal_outcome'::text) $$, 'the new ARR is in the ARR history');
select is((select forecast_category from app.renewal_outcomes where execution_id = :'shrinks'), 'at_risk', 'the derived forecast at the time (health 45) is kept');

select throws_ok(format($$ select public.record_renewal_outcome(%L, 'churned', 10) $$, :'leaves'), '22023', null, 'a churn keeps no ARR');
select is(public.record_renewal_outcome(:'leaves', 'churned') ->> 'new_arr', '0', 'churned');
select results_eq($$ select arr, renewal_date, renewal_stage from app.customers where name = 'Leaves' $$,
  $$ values (0::numeric(14, 2), null::date, null::text) $$, 'a churned customer has ARR 0 and no renewal');
select is((select h.arr from app.arr_history h join r on r.cust = h.customer_id where r.name = 'Leaves'), 0.00, 'ARR history records the churn');
select is(app.customer_forecast_category(:'org', (select cust from r where name = 'Leaves')), null, 'no open renewal, no category');

-- Escalated: a hold for everyone (docs/escalation-loop.md); a manager decides the
-- escalation first, then the outcome is recorded.
select tests.clear_authentication();
update app.workflow_executions set status = 'escalated' where id = :'grows';
select tests.authenticate_as('e_csm2');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed', 70000) $$, :'grows'), 'PT409',
  'Cannot record the outcome of this workflow: it is escalated and on hold', 'the assignee cannot while it is escalated');
select tests.authenticate_as('e_manager');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed', 70000) $$, :'grows'), 'PT409', null,
  'nor a manager: the manager decides the escalation first');
select tests.clear_authentication();
update app.workflow_executions set status = 'in_progress' where id = :'grows';
select tests.authenticate_as('e_manager');
select is(public.record_renewal_outcome(:'grows', 'renewed', 70000) ->> 'new_arr', '70000.00', 'a manager records an uplift at renewal');
select is((select count(*)::int from app.renewal_outcomes), 4, 'four renewals closed');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_executions e join r on r.cust = e.customer_id
            where e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.renewal_stage is not null), 0,
  'no renewal of these customers is open any more');
select app.run_orchestrator_for_org(:'org', :'today'::date) is not null as ran2 \gset
select is((select count(*)::int from app.workflow_executions e join r on r.cust = e.customer_id
            where e.status = 'queued' and e.renewal_stage is not null), 3,
  'the orchestrator opens next year''s renewal for the three that stayed (not the churned one)');

select * from finish();
rollback;
