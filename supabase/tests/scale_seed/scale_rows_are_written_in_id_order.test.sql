-- The scale generator writes every bulk table in ascending id order (app.scale_seed_id):
-- the id order is the order of the rows' parents and positions (customer number, then
-- slot, step, sequence), so each insert appends to one key range of every index on an id
-- instead of writing a random leaf page per row (what made the 300k seed's cost grow
-- faster than its size). It also names every phase in its timings, and the ids stay
-- deterministic.
begin;
\set QUIET on
\ir ../../../local/scale-seed.sql
\set QUIET off
select plan(11);

create temporary table run on commit drop as
  select app.seed_scale_organisation(60, 'id-order-check') as summary;
create temporary table org on commit drop as
  select o.id from app.organisations o where o.slug = 'id-order-check';

-- Rows whose parent key goes down while the id goes up: none when ids follow write order.
select is(
  (select count(*)::int from (
     select (c.metadata ->> 'scale_index')::int as j,
            lag((c.metadata ->> 'scale_index')::int) over (order by c.id) as prev
       from app.customers c where c.org_id = (select id from org)) x where x.j < x.prev),
  0, 'customers: id order is customer-number order');

select is(
  (select count(*)::int from (
     select (c.metadata ->> 'scale_index')::int as j,
            lag((c.metadata ->> 'scale_index')::int) over (order by e.id) as prev
       from app.workflow_executions e join app.customers c on c.id = e.customer_id
      where e.org_id = (select id from org)) x where x.j < x.prev),
  0, 'executions: id order follows the customer number');

select is(
  (select count(*)::int from (
     select s.execution_id, s.step_index,
            lag(s.execution_id) over (order by s.id) as prev_e, lag(s.step_index) over (order by s.id) as prev_i
       from app.workflow_step_executions s where s.org_id = (select id from org)) x
    where (x.execution_id, x.step_index) < (x.prev_e, x.prev_i)),
  0, 'step rows: id order is (execution, step index) order');

select is(
  (select count(*)::int from (
     select t.execution_id, lag(t.execution_id) over (order by t.id) as prev,
            (c.metadata ->> 'scale_index')::int as j,
            lag((c.metadata ->> 'scale_index')::int) over (order by t.id) as prev_j
       from app.workflow_chat_threads t
       join app.workflow_executions e on e.id = t.execution_id
       join app.customers c on c.id = e.customer_id
      where t.org_id = (select id from org)) x where x.j < x.prev_j),
  0, 'chat threads: id order follows the customer number');

select is(
  (select count(*)::int from (
     select m.thread_id, m.sequence,
            lag(m.thread_id) over (order by m.id) as prev_t, lag(m.sequence) over (order by m.id) as prev_s
       from app.workflow_chat_messages m where m.org_id = (select id from org)) x
    where (x.thread_id, x.sequence) < (x.prev_t, x.prev_s)),
  0, 'chat messages: id order is (thread, sequence) order');

select is(
  (select count(*)::int from (
     select h.kind, h.customer_id, lag(h.customer_id) over (partition by h.kind order by h.id) as prev
       from (select 'arr' as kind, id, customer_id, org_id from app.arr_history
             union all select 'usage', id, customer_id, org_id from app.usage_snapshots
             union all select 'engagement', id, customer_id, org_id from app.engagement_events
             union all select 'stakeholder', id, customer_id, org_id from app.stakeholders
             union all select 'contract', id, customer_id, org_id from app.contracts) h
      where h.org_id = (select id from org)) x where x.customer_id < x.prev),
  0, 'ARR history, usage, engagement, stakeholders and contracts: id order is customer order');

select is(
  (select count(*)::int from app.workflow_step_executions s where s.org_id = (select id from org)),
  (select sum(e.total_steps)::int from app.workflow_executions e where e.org_id = (select id from org)),
  'every execution has its step rows (the step insert reads the whole id range)');

select ok(
  (select e.id from app.workflow_executions e where e.org_id = (select id from org) order by e.id limit 1)
    = app.scale_seed_id('renubu-scale:id-order-check', 'execution', 1 * 16 + 1),
  'ids are deterministic: the first execution is customer 1, slot 1');

select set_eq(
  $$ select jsonb_object_keys(summary -> 'timings') from run $$,
  array['people', 'customers', 'contracts', 'executions', 'step_executions', 'chat_threads', 'llm_context',
        'chat_messages', 'arr_history', 'usage_snapshots', 'engagement_events', 'stakeholders', 'queue_cards', 'analyze'],
  'the summary times every phase');

select is(
  (select count(*)::int from app.workflow_executions e where e.org_id = (select id from org)
      and e.id not between app.scale_seed_id('renubu-scale:id-order-check', 'execution', 0)
                       and app.scale_seed_id('renubu-scale:id-order-check', 'execution', 61 * 16)),
  0, 'the organisation''s executions lie in its own id range');

-- The queue's copies the seed writes itself are the ones app.executions_fill_queue_copies
-- fills on an open row (and absent on a closed one, where the trigger does not fire).
select is(
  (select count(*)::int from app.workflow_executions e
     join app.customers c on c.id = e.customer_id
     join app.workflows w on w.id = e.workflow_id
    where e.org_id = (select id from org)
      and (e.customer_search, e.queue_type_rank) is distinct from
          (case when e.status in ('queued', 'in_progress', 'snoozed', 'escalated') then app.queue_search_text(c.name, c.domain) end,
           case when e.status in ('queued', 'in_progress', 'snoozed', 'escalated') then app.workflow_type_rank(w.workflow_type)::smallint end)),
  0, 'open executions carry the queue copies the insert trigger would fill; closed ones none');

select * from finish();
rollback;
