-- app.seed_scale_organisation(n) builds Scale Co with 10 executions and 20 chat messages
-- per customer, step rows for every execution, proportional history, and an open set the
-- orchestrator agrees with. (Rolled back: the scale organisation is not left behind.)
begin;
-- The generator is local tooling, not a migration: install it inside this transaction.
\set QUIET on
\ir ../../../local/scale-seed.sql
\set QUIET off
select plan(13);

select lives_ok($$ select app.seed_scale_organisation(200) $$, 'builds a scale organisation of 200 customers');

create temporary table scale on commit drop as
  select id as org_id from app.organisations where slug = 'scale-co';

select is((select count(*)::int from app.customers c where c.org_id = (select org_id from scale)), 200, '200 customers');

select is_empty(
  $$ select c.id from app.customers c where c.org_id = (select org_id from scale)
      and (select count(*) from app.workflow_executions e where e.customer_id = c.id) <> 10 $$,
  'every customer has exactly 10 executions'
);

select is_empty(
  $$ select c.id from app.customers c where c.org_id = (select org_id from scale)
      and (select count(*) from app.workflow_chat_messages m
             join app.workflow_chat_threads t on t.id = m.thread_id
             join app.workflow_executions e on e.id = t.execution_id
            where e.customer_id = c.id) <> 20 $$,
  'every customer has exactly 20 chat messages'
);

select cmp_ok(
  (select count(distinct (t.execution_id, t.step_key))::int from app.workflow_chat_threads t where t.org_id = (select org_id from scale)),
  '=', 400, 'messages are spread over two threads per customer on different executions and steps'
);

select is_empty(
  $$ select e.id from app.workflow_executions e where e.org_id = (select org_id from scale)
      and (select count(*) from app.workflow_step_executions s where s.execution_id = e.id) <> e.total_steps $$,
  'every execution has one step row per step'
);

select is_empty(
  $$ select e.id from app.workflow_executions e where e.org_id = (select org_id from scale)
      and (select count(*) filter (where s.status = 'completed') from app.workflow_step_executions s where s.execution_id = e.id)
          <> e.completed_steps $$,
  'completed step rows match each execution''s progress'
);

select cmp_ok(
  (select count(*)::int from app.workflow_executions e where e.org_id = (select org_id from scale)
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')),
  '<', 1000, 'most executions are closed (completed, superseded, skipped, cancelled)'
);

select is_empty(
  $$ select t.id from app.workflow_chat_threads t where t.org_id = (select org_id from scale)
      and t.message_count <> (select count(*) from app.workflow_chat_messages m where m.thread_id = t.id)
       or t.tokens_out <> (select coalesce(sum(m.tokens_out), 0) from app.workflow_chat_messages m where m.thread_id = t.id) $$,
  'thread totals match their messages'
);

select is(
  (select count(*)::int from app.workflow_llm_context x where x.org_id = (select org_id from scale)),
  400, 'every thread has its LLM context'
);

select is(
  (select jsonb_build_array(
     (select count(*) from app.arr_history h where h.org_id = (select org_id from scale)),
     (select count(*) from app.usage_snapshots u where u.org_id = (select org_id from scale)),
     (select count(*) from app.engagement_events v where v.org_id = (select org_id from scale)),
     (select count(*) from app.stakeholders s where s.org_id = (select org_id from scale)),
     (select count(*) from app.contracts k where k.org_id = (select org_id from scale)))),
  '[1800, 800, 1200, 400, 200]'::jsonb,
  'history per customer: 9 ARR points (two years, for retention), 4 usage snapshots, 6 events, 2 stakeholders, 1 contract'
);

select is(
  (select app.refresh_priorities(array_agg(e.id)) from app.workflow_executions e where e.org_id = (select org_id from scale)),
  0, 'stored priorities are exactly what the priority formula gives'
);

select is(
  (select (r ->> 'created')::int + (r ->> 'superseded')::int
     from (select app.run_orchestrator((select org_id from scale)) as r) x),
  0, 'the orchestrator finds nothing to open or supersede'
);

select * from finish();
rollback;
