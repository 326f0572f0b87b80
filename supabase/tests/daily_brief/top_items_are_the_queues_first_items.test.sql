-- A brief's top items are the first items of the person's queue, in the queue's order
-- (lane, priority, the nearer renewal, type, id: docs/business-rules.md "Queue order"), with
-- the stage as of the brief's day (docs/daily-brief.md). Before, two items of one lane and
-- score came in id order, so "Start with" could name the later renewal; and the stage was
-- the stored one, stale until the hourly re-stamp.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- Two renewals alike but for their dates, both in Finalize (30-59 days) with one score, and a
-- third renewing in 29 days (Signature).
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Nearer', 20000, 70, :'today'::date + 40, :'csm'),
       (:'org', 'Later', 20000, 70, :'today'::date + 41, :'csm'),
       (:'org', 'Turned', 20000, 70, :'today'::date + 29, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
-- The Finalize renewal with the higher id renews first: id order and the queue's order differ.
select min(e.id::text)::uuid as low_id, max(e.id::text)::uuid as high_id
  from app.workflow_executions e join app.customers c on c.id = e.customer_id
 where e.org_id = :'org' and e.status = 'queued' and c.name in ('Nearer', 'Later') \gset
update app.customers c set renewal_date = :'today'::date + 35
  from app.workflow_executions e where e.id = :'high_id' and c.id = e.customer_id;
update app.customers c set renewal_date = :'today'::date + 45
  from app.workflow_executions e where e.id = :'low_id' and c.id = e.customer_id;
-- Turned's stored stage is stale on purpose (Finalize, as yesterday's re-stamp left it), as
-- in the hour after midnight before the re-stamp runs.
alter table app.customers disable trigger customers_keep_priorities_current;
update app.customers c set renewal_stage = 'Finalize' where c.org_id = :'org' and c.name = 'Turned';
alter table app.customers enable trigger customers_keep_priorities_current;

select tests.authenticate_as('e_csm');
create temp table queue_order as
  select (i ->> 'execution_id')::uuid as execution_id, n
    from jsonb_array_elements(public.get_workflow_queue(5)::jsonb -> 'items') with ordinality as q(i, n);
select tests.clear_authentication();
create temp table top_items as
  select x.value as fact, x.n
    from jsonb_array_elements(app.daily_brief_facts(:'org', :'csm', now() - interval '1 day', :'today'::date))
         with ordinality as x(value, n)
   where x.value ->> 'kind' = 'top_item';

select is((select count(*)::int from top_items), 3, 'three open items, three top items');
select is((select array_agg((t.fact ->> 'execution_id')::uuid order by t.n) from top_items t),
          (select array_agg(q.execution_id order by q.n) from queue_order q),
          'the top items are the queue''s first items in the queue''s order');
select is((select t.fact ->> 'stage' from top_items t where t.fact ->> 'customer' = 'Turned'), 'Signature',
          'the stage is the one of the brief''s day, not the stale stored one');

select * from finish();
rollback;
