-- Statement-level triggers must not JOIN their transition tables (old_rows with new_rows)
-- in a statically planned query: PL/pgSQL caches that plan for the session, sized for the
-- first statement's row count, so after a 0- or 1-row update a later bulk update runs an
-- n x n nested loop (a seed stuck for half an hour). Changed rows are found with a set
-- difference (new_rows EXCEPT old_rows), or the query is run with EXECUTE (planned per
-- call). Then: in one session, a 0-row update followed by a bulk update still keeps score
-- history, reassignment, priorities, lanes and the queue's kept statistics right.
begin;
select plan(9);
set client_min_messages = warning;

-- 1. The catalogue: no statement of a trigger function (outside an EXECUTE'd $q$ string,
-- comments removed) joins one transition table with the other.
with bodies as (
  select p.oid::regprocedure::text as fn,
         regexp_replace(regexp_replace(p.prosrc, '--[^\n]*', '', 'g'), '\$q\$.*?\$q\$', '', 'g') as body
    from pg_proc p join pg_namespace s on s.oid = p.pronamespace
   where p.prorettype = 'trigger'::regtype and s.nspname in ('app', 'public')
), stmts as (
  select b.fn, st
    from bodies b, regexp_split_to_table(b.body, ';') st
)
select is(
  (select array_agg(distinct fn order by fn) from stmts
    where st ~* '\mold_rows\M' and st ~* '\mnew_rows\M'
      and (st ~* '\m(join|using)\s+(old_rows|new_rows)\M'
           or st ~* '\m(old_rows|new_rows)(\s+(as\s+)?\w+)?\s*,\s*(old_rows|new_rows)\M')),
  null,
  'no trigger function joins old_rows with new_rows in a statically planned statement');

select ok((select count(*) from pg_proc p join pg_namespace s on s.oid = p.pronamespace
            where p.prorettype = 'trigger'::regtype and s.nspname = 'app'
              and p.prosrc ~ '\mold_rows\M' and p.prosrc ~ '\mnew_rows\M') >= 10,
          'the check sees the transition-table triggers');

-- 2. Behaviour after a 0-row update, in the same session.
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, assigned_to)
select :'org', 'Bulk ' || g, 'bulk' || g || '.example', 20000 + 1000 * g, 70, :'today'::date + (g % 60) + 1, 20, :'csm'
  from generate_series(1, 300) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select count(*) as open_work from app.workflow_executions
 where org_id = :'org' and status in ('queued', 'in_progress', 'snoozed', 'escalated') \gset
select ok(:open_work >= 100, 'the orchestrator opened work for the bulk customers');

-- A 0-row update of each table first: the triggers' cached plans would be sized for it.
update app.customers set health_score = health_score where false;
update app.workflow_executions set assigned_to = assigned_to where false;

select count(*) as history_before from app.customer_score_history where org_id = :'org' \gset
update app.customers set health_score = 40, assigned_to = :'csm2' where org_id = :'org' and name like 'Bulk %';

select is((select count(*) from app.customer_score_history where org_id = :'org') - :history_before, 300::bigint,
          'every changed score is recorded after the bulk update');
select is((select count(*) from app.workflow_executions
            where org_id = :'org' and status in ('queued', 'in_progress', 'snoozed', 'escalated')
              and assigned_to = :'csm'), 0::bigint,
          'every open execution moved to the new CSM');
select is((select count(*) from app.workflow_executions e
            where e.org_id = :'org' and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
              and e.priority_factors ->> 'account_plan' is distinct from 'monitor'), 0::bigint,
          'every open execution was re-scored with the new plan');
select is((select items from app.queue_stats where assigned_to = :'csm2' and include_snoozed),
          (select count(*)::integer from app.workflow_executions
            where assigned_to = :'csm2' and status in ('queued', 'in_progress', 'snoozed', 'escalated')),
          'the kept queue statistics follow the bulk reassignment');

-- Executions in bulk: back to the first CSM, and hand-backs that move the lane.
update app.workflow_executions
   set assigned_to = :'csm', metadata = coalesce(metadata, '{}'::jsonb) || jsonb_build_object('handed_back_at', now())
 where org_id = :'org' and status in ('queued', 'in_progress', 'snoozed', 'escalated');
select is((select items from app.queue_stats where assigned_to = :'csm' and include_snoozed),
          (select count(*)::integer from app.workflow_executions
            where assigned_to = :'csm' and status in ('queued', 'in_progress', 'snoozed', 'escalated')),
          'the kept queue statistics follow a bulk update of executions');
select is((select count(*) from app.workflow_executions
            where org_id = :'org' and status in ('queued', 'in_progress', 'snoozed', 'escalated')
              and queue_lane is distinct from 1::smallint), 0::bigint,
          'every handed-back execution moved to lane now');

select * from finish();
rollback;
