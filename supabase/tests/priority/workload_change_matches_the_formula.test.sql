-- A change of an assignee's workload (in-progress executions) moves every open item of
-- theirs to exactly what the formula gives — same score, same factors to the digit — by
-- arithmetic on the stored factors, without re-running the formula per item. Covered:
-- starting (queued -> in_progress, by the RPC), snoozing and completing in progress work,
-- handing in-progress work to another CSM (both workloads move), an execution inserted
-- in progress and one deleted in progress, and an item never scored (full formula).
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- A book whose scores carry decimals (senior 1.1, ARR multipliers 1.5 and 2.0).
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, risk_score, opportunity_score)
select :'org', 'Book ' || g, (array[60000, 120000, 180000])[g % 3 + 1], 40 + g * 5,
       :'today'::date + (array[3, 10, 25, 50, 100, 150, 200])[g % 7 + 1], :'csm', 55 + g * 3, 60 + g * 2
  from generate_series(1, 12) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

-- Every open execution of the organisation whose stored score or factors (as text) differ
-- from a fresh run of the formula. The fresh run: factors cleared, app.refresh_priorities
-- over every open execution, compared with what was stored, then the stored put back.
create function pg_temp.off_formula() returns setof text language plpgsql as $$
begin
  create temporary table stored on commit drop as
    select e.id, e.priority_score, e.priority_factors
      from app.workflow_executions e
     where e.org_id = (select id from app.organisations where name = 'Engine Org')
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  update app.workflow_executions e set priority_factors = '{}'::jsonb from stored s where s.id = e.id;
  perform app.refresh_priorities((select array_agg(id) from stored));
  return query
    select s.id::text || ': stored ' || s.priority_score || ' ' || s.priority_factors::text
           || ', formula ' || e.priority_score || ' ' || e.priority_factors::text
      from stored s join app.workflow_executions e on e.id = s.id
     where e.priority_score is distinct from s.priority_score
        or e.priority_factors::text is distinct from s.priority_factors::text;
  update app.workflow_executions e set priority_score = s.priority_score, priority_factors = s.priority_factors
    from stored s where s.id = e.id;
  drop table stored;
end;
$$;

select ok((select count(*) from app.workflow_executions
            where org_id = :'org' and assigned_to = :'csm' and status = 'queued') >= 12,
          'the CSM has a book to re-score');

-- Starting work: the CSM's workload goes 0 -> 1. Only the workload terms move: a
-- customer's ARR changed behind the triggers' back (the formula would now give another
-- multiplier) stays as it was scored, so the formula was not run again for that item.
select e.id as first from app.workflow_executions e
 where e.org_id = :'org' and e.assigned_to = :'csm' and e.status = 'queued' order by e.id limit 1 \gset
select e.id as second from app.workflow_executions e
 where e.org_id = :'org' and e.assigned_to = :'csm' and e.status = 'queued' and e.id <> :'first' order by e.id limit 1 \gset
select e.id as witness, e.customer_id as witness_customer, (e.priority_factors ->> 'arr_mult')::numeric as witness_mult
  from app.workflow_executions e join app.customers c on c.id = e.customer_id
 where e.org_id = :'org' and e.assigned_to = :'csm' and e.status = 'queued'
   and e.id not in (:'first', :'second') and c.arr = 60000 order by e.id limit 1 \gset
alter table app.customers disable trigger user;
update app.customers set arr = 900000 where id = :'witness_customer';
alter table app.customers enable trigger user;
select tests.authenticate_as('e_csm');
select public.start_workflow(:'first') is not null as started \gset
select tests.clear_authentication();
select is((select array[(priority_factors ->> 'arr_mult')::numeric, (priority_factors ->> 'active_workflows')::numeric]
             from app.workflow_executions where id = :'witness'),
          array[:'witness_mult'::numeric, 1],
          'a start moves the book''s workload terms without re-running the formula per item');
update app.customers set arr = 60000 where id = :'witness_customer';
select is_empty($$ select * from pg_temp.off_formula() $$, 'after a start, every item is what the formula gives');

select tests.authenticate_as('e_csm');
select public.start_workflow(:'second') is not null as started \gset
select public.execute_action('snooze', :'second', '{"reason": "later"}') is not null as snoozed \gset
select tests.clear_authentication();
select is_empty($$ select * from pg_temp.off_formula() $$, 'after a second start and a snooze of it');

-- Handing in-progress work to the junior CSM: one workload down, the other up.
update app.workflow_executions set assigned_to = :'csm2' where id = :'first';
select is_empty($$ select * from pg_temp.off_formula() $$, 'after in-progress work moves to another CSM');
select is((select (priority_factors ->> 'active_workflows')::int from app.workflow_executions
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
delete from app.workflow_executions where id = :'inserted';
select is_empty($$ select * from pg_temp.off_formula() $$, 'after an in-progress execution is deleted');

-- An item that was never scored gets the whole formula when the workload next changes.
select e.id as bare from app.workflow_executions e
 where e.org_id = :'org' and e.assigned_to = :'csm' and e.status = 'queued' order by e.id desc limit 1 \gset
alter table app.workflow_executions disable trigger user;
update app.workflow_executions set priority_factors = '{}'::jsonb, priority_score = 0 where id = :'bare';
alter table app.workflow_executions enable trigger user;
update app.workflow_executions set status = 'in_progress' where id = (
  select e.id from app.workflow_executions e
   where e.org_id = :'org' and e.assigned_to = :'csm' and e.status = 'queued' and e.id <> :'bare' order by e.id limit 1);
select isnt((select priority_score from app.workflow_executions where id = :'bare'), 0::numeric,
            'an unscored item is scored on the next workload change');
select is_empty($$ select * from pg_temp.off_formula() $$, 'and scored as the formula says');

select * from finish();
rollback;
