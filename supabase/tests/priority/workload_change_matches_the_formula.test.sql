-- A change of an assignee's workload (their in-progress executions) writes no row of their
-- book, yet every open item, as the execution view and the queue show it, has exactly what
-- the formula gives with the person's current count: score and factors to the digit, and
-- the queue's statistics (average and range) follow. Covered: a start (by the RPC), a
-- second start and a snooze, in-progress work handed to another CSM (both workloads
-- move), an execution inserted in progress and one deleted in progress.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- A book whose scores carry decimals (senior 1.1, ARR multipliers 1.5 and 2.0).
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, risk_score, opportunity_score)
select :'org', 'Book ' || g, (array[60000, 120000, 180000])[g % 3 + 1], 40 + g * 5,
       :'today'::date + (array[3, 10, 25, 50, 100, 150, 200])[g % 7 + 1], :'csm', 55 + g * 3, 60 + g * 2
  from generate_series(1, 12) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

-- Every open item of the organisation whose shown factors (as text) differ from the
-- formula run afresh on its inputs with its assignee's in-progress count now.
create function pg_temp.off_formula() returns setof text language sql as $$
  select e.id::text || ': shown ' || app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors)::text
         || ', formula ' || f.factors::text
    from app.workflow_executions e
    join app.customers c on c.id = e.customer_id
    join app.workflows w on w.id = e.workflow_id
    left join app.profiles p on p.id = e.assigned_to
   cross join lateral (
     select app.calculate_priority(
              w.workflow_type, w.base_score, coalesce(c.renewal_stage, e.renewal_stage), c.arr, c.account_plan,
              c.opportunity_score, c.risk_score, p.experience_level,
              (select count(*)::integer from app.workflow_executions x
                where x.org_id = e.org_id and x.assigned_to = e.assigned_to and x.status = 'in_progress'))
            || jsonb_build_object('lane', app.queue_lane_name(e.queue_lane)) as factors) f
   where e.org_id = (select id from app.organisations where name = 'Engine Org')
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors)::text is distinct from f.factors::text
$$;

-- What the CSM's queue shows that differs from the execution view's factors and score,
-- or stats whose average and range differ from the shown scores of the page's items.
create function pg_temp.queue_off() returns setof text language sql as $$
  with q as (select public.get_workflow_queue(200)::jsonb as page),
  items as (select i from q, jsonb_array_elements(q.page -> 'items') i)
  select 'item ' || (i ->> 'execution_id') || ' shows ' || (i ->> 'priority_score') || ' ' || (i -> 'priority_factors')::text
    from items
    join app.workflow_executions e on e.id = (i ->> 'execution_id')::uuid
   where (i -> 'priority_factors') is distinct from app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors)
      or (i ->> 'priority_score')::numeric is distinct from (i -> 'priority_factors' ->> 'score')::numeric
  union all
  select 'stats ' || (q.page -> 'stats')::text || ' for scores ' || s.scores::text
    from q, (select jsonb_agg((i ->> 'priority_score')::numeric) as scores,
                    round(avg((i ->> 'priority_score')::numeric), 1) as avg_score,
                    min((i ->> 'priority_score')::integer) as lo, max((i ->> 'priority_score')::integer) as hi
               from items) s
   where (q.page -> 'stats' ->> 'avg_priority')::numeric is distinct from s.avg_score
      or (q.page -> 'stats' -> 'priority_range' ->> 'min')::integer is distinct from s.lo
      or (q.page -> 'stats' -> 'priority_range' ->> 'max')::integer is distinct from s.hi
$$;
grant execute on function pg_temp.queue_off() to authenticated;

select ok((select count(*) from app.workflow_executions
            where org_id = :'org' and assigned_to = :'csm' and status = 'queued') >= 12,
          'the CSM has a book');

-- The book's row versions before the start (the stats are rendered for today first).
select tests.authenticate_as('e_csm');
select is_empty($$ select * from pg_temp.queue_off() $$, 'before any start, the queue shows the formula''s scores');
select tests.clear_authentication();
create temporary table book_before as
  select e.id, e.ctid::text as version from app.workflow_executions e
   where e.org_id = :'org' and e.assigned_to = :'csm' and e.status = 'queued';

-- Starting work: the CSM's workload goes 0 -> 1.
select e.id as first from app.workflow_executions e
 where e.org_id = :'org' and e.assigned_to = :'csm' and e.status = 'queued' order by e.id limit 1 \gset
select e.id as second from app.workflow_executions e
 where e.org_id = :'org' and e.assigned_to = :'csm' and e.status = 'queued' and e.id <> :'first' order by e.id limit 1 \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'first') is not null as started \gset
select tests.clear_authentication();
select is((select count(*)::integer from book_before b join app.workflow_executions e on e.id = b.id
            where e.ctid::text <> b.version),
          1, 'a start writes only the started execution, not the rest of the book');
select is_empty($$ select * from pg_temp.off_formula() $$, 'after a start, every item shows what the formula gives');
select tests.authenticate_as('e_csm');
select is_empty($$ select * from pg_temp.queue_off() $$, 'and the queue shows it, with its stats');
select is((public.get_workflow_execution(:'second') ->> 'priority_score')::numeric,
          (select priority_score - 2 from app.workflow_executions where id = :'second'),
          'an item shows its stored score less 2 for the one active workflow');

select public.start_workflow(:'second') is not null as started \gset
select public.execute_action('snooze', :'second', '{"reason": "later"}') is not null as snoozed \gset
select tests.clear_authentication();
select is_empty($$ select * from pg_temp.off_formula() $$, 'after a second start and a snooze of it');

-- Handing in-progress work to the junior CSM: one workload down, the other up.
update app.workflow_executions set assigned_to = :'csm2' where id = :'first';
select is_empty($$ select * from pg_temp.off_formula() $$, 'after in-progress work moves to another CSM');
select is((select (app.priority_shown(org_id, assigned_to, status, priority_factors) ->> 'active_workflows')::int
             from app.workflow_executions
            where org_id = :'org' and assigned_to = :'csm2' and status = 'in_progress' limit 1), 1,
          'the junior CSM''s items count their one active workflow');

-- Inserted in progress, then deleted in progress.
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, total_steps)
select e.org_id, e.customer_id, w.workflow_id, w.version_id, :'csm', 'in_progress', w.total_steps
  from app.workflow_executions e
  cross join app.effective_workflows(:'org') w
 where e.id = :'second' and w.key = 'executive-meeting'
returning id as inserted \gset
select is_empty($$ select * from pg_temp.off_formula() $$, 'after an execution is inserted in progress');
select tests.authenticate_as('e_csm');
select is_empty($$ select * from pg_temp.queue_off() $$, 'and the queue and its stats follow');
select tests.clear_authentication();
delete from app.workflow_executions where id = :'inserted';
select is_empty($$ select * from pg_temp.off_formula() $$, 'after an in-progress execution is deleted');

select * from finish();
rollback;
