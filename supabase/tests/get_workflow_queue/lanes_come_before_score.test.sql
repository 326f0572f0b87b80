-- Lanes before score: an overdue renewal (health 42) is above a health check of an account
-- renewing in 220 days even when the check scores higher; lane is on every item and in its
-- priority factors; risk work by score; the escalation hand-back hook.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, assigned_to) values
  (:'org', 'Overdue Co', 20000, 42, :'today'::date - 12, null, :'csm'),
  (:'org', 'Far Co', 200000, 70, :'today'::date + 220, null, :'csm'),
  (:'org', 'Signing Co', 20000, 55, :'today'::date + 20, null, :'csm'),
  (:'org', 'Burning Co', 20000, 55, :'today'::date + 300, 85, :'csm'),
  (:'org', 'Worried Co', 20000, 55, :'today'::date + 300, 65, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select tests.authenticate_as('e_csm');
select public.get_workflow_queue(100)::jsonb -> 'items' as items \gset
create temporary table qi on commit drop as
select o::int as pos, i ->> 'lane' as lane, i ->> 'workflow_key' as wkey, i -> 'customer' ->> 'name' as cname,
       (i ->> 'priority_score')::int as score, i -> 'priority_factors' as factors
  from jsonb_array_elements(:'items'::jsonb) with ordinality x(i, o);

select is((select account_plan from app.customers where name = 'Overdue Co'), 'monitor', 'health 42 is the monitor plan');
select ok((select score from qi where wkey = 'health-check') > (select score from qi where wkey = 'overdue'),
          'the health check scores higher than the overdue renewal');
select ok((select pos from qi where wkey = 'overdue') < (select pos from qi where wkey = 'health-check'),
          'yet the overdue renewal comes first');
select is((select lane from qi where wkey = 'overdue'), 'now', 'an overdue renewal is in lane now');
select is((select lane from qi where wkey = 'health-check'), 'planned', 'a health check is planned');
select is((select lane from qi where cname = 'Signing Co'), 'soon', 'a Signature renewal is soon');
select is((select lane from qi where cname = 'Burning Co' and wkey = 'risk-assessment'), 'now', 'risk assessment at risk 85 is now');
select is((select lane from qi where cname = 'Worried Co' and wkey = 'risk-assessment'), 'soon', 'risk assessment at risk 65 is soon');
select is((select array_agg(lane order by pos) from qi),
          (select array_agg(lane order by array_position(array['now', 'soon', 'planned'], lane), pos) from qi),
          'every now item before every soon item before every planned item');
select ok((select bool_and(factors ->> 'lane' = lane) from qi), 'the lane is in every item''s priority factors');

-- Hand-back hook: an execution whose metadata carries handed_back_at is in lane now.
select tests.clear_authentication();
update app.workflow_executions e set metadata = e.metadata || jsonb_build_object('handed_back_at', now())
  from app.workflows w where w.id = e.workflow_id and w.key = 'health-check' and e.assigned_to = :'csm';
select is((select e.queue_lane::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where w.key = 'health-check' and e.assigned_to = :'csm'), 1, 'handed back after an escalation: lane now');
select tests.authenticate_as('e_csm');
select is((select i ->> 'lane' from jsonb_array_elements(public.get_workflow_queue(100)::jsonb -> 'items') i
            where i ->> 'workflow_key' = 'health-check'), 'now', '... and the queue shows it');

select * from finish();
rollback;
