-- A customer page lists the customer's open workflows as the queue ranks them — lane (now,
-- soon, planned), then priority — and its finished ones after them, latest first. Before,
-- they came newest first: a customer's renewal in the Now lane could come last, under the
-- Planned reviews the orchestrator opened beside it (migration 20261213300000).
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
-- Renewing in 3 days (the Now lane's emergency renewal), on a plan that gets a quarterly
-- review and a monthly health check (the Planned lane), at a risk that opens an assessment.
insert into app.customers (org_id, name, arr, health_score, risk_score, account_plan, renewal_date, assigned_to)
values (:'org', 'Northwind', 240000, 82, 70, 'invest', :'today'::date + 3, :'csm')
returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
-- The renewal opened first and the others a day later, so newest first put it last.
update app.workflow_executions x set created_at = now() - interval '2 days'
 where x.customer_id = :'cust' and x.renewal_stage is not null;
update app.workflow_executions x set created_at = now() - interval '1 day'
 where x.customer_id = :'cust' and x.renewal_stage is null;
-- One finished long ago: after every open one.
update app.workflow_executions x set status = 'completed', completed_at = now() - interval '3 days'
 where x.id = (select y.id from app.workflow_executions y join app.workflows w on w.id = y.workflow_id
                where y.customer_id = :'cust' and w.key = 'health-check');

select tests.authenticate_as('e_csm');
select public.get_customer_overview(:'cust') -> 'workflows' as shown \gset

select is((:'shown'::jsonb -> 0 ->> 'lane'), 'now', 'the renewal in the Now lane comes first');
select is(
  (select array_agg((w ->> 'execution_id')::uuid order by n) from jsonb_array_elements(:'shown'::jsonb) with ordinality t(w, n)
    where (w ->> 'open')::boolean),
  (select array_agg(x.id order by x.queue_lane, x.priority_score desc, x.id) from app.workflow_executions x
    where x.customer_id = :'cust' and app.is_open_status(x.status)),
  'the open ones come in the queue''s order: lane, then priority');
select is((:'shown'::jsonb -> -1 ->> 'status'), 'completed', 'the finished one comes after them');

select * from finish();
rollback;
