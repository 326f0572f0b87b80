-- A full run inserts its executions complete: every kept copy (priority, factors, lane,
-- renewal/decision dates, plan, search text, type rank) is what app.refresh_priorities and
-- the copies trigger would write, the queue's kept statistics equal a fresh aggregate, and
-- no row arrives without its copies (so the copies trigger has nothing to do). What is
-- done for its period is not reopened.
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- Every stage, scores around both thresholds (null too), both strategic plans, names in
-- mixed case, a missing domain, two CSMs and one who has left (their new work opens
-- unassigned, scored as unassigned work).
select tests.create_member('e_leaver', :'org', 'csm', 'expert') as leaver \gset
update app.profiles set deactivated_at = now() where id = :'leaver';
insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, opportunity_score,
                           account_plan, assigned_to)
select :'org', 'Kept Copy ' || g, case when g % 5 = 0 then null else 'KEPT' || g || '.Example' end,
       25000 * g, 20 + g * 3, :'today'::date + (g * 11 - 25),
       case when g % 7 = 0 then null else (g * 13) % 101 end, (g * 17) % 101,
       (array['invest', 'expand', 'manage', 'monitor'])[1 + g % 4],
       case when g % 8 = 1 then :'leaver'::uuid when g % 3 = 0 then :'csm2'::uuid else :'csm'::uuid end
  from generate_series(1, 24) g;

-- A probe that fires before every other row trigger (names sort 'a' < 'workflow_…') and
-- notes which copies each inserted row arrived with.
create temporary table arrived (id uuid, search text, type_rank smallint, lane smallint, factors jsonb);
create function pg_temp.note_arrival() returns trigger language plpgsql as $$
begin
  insert into pg_temp.arrived values (new.id, new.customer_search, new.queue_type_rank, new.queue_lane, new.priority_factors);
  return new;
end;
$$;
create trigger a_probe_arrival before insert on app.workflow_executions
  for each row execute function pg_temp.note_arrival();
select app.run_orchestrator_for_org(:'org', full_run => true) as r \gset
drop trigger a_probe_arrival on app.workflow_executions;
select ok((:'r'::jsonb ->> 'created')::int >= 24, 'the full run opened work for every customer');
select is((select count(*)::int from pg_temp.arrived), (:'r'::jsonb ->> 'created')::int, 'the probe saw every insert');
select is((select count(*)::int from pg_temp.arrived
            where search is null or type_rank is null or lane is null or factors = '{}'::jsonb),
          0, 'every row arrives with its search text, type rank, lane and priority (no trigger fills them in)');

select array_agg(e.id) as open_ids from app.workflow_executions e
 where e.org_id = :'org' and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') \gset
select is(app.refresh_priorities(:'open_ids'), 0, 'a recompute of every open execution changes nothing');
select is((select count(*)::int from app.workflow_executions where assigned_to = :'leaver'), 0,
          'no new work for the person who left');
select ok((select count(*) from app.workflow_executions e join app.customers c on c.id = e.customer_id
            where e.id = any(:'open_ids') and c.assigned_to = :'leaver' and e.assigned_to is null) >= 3,
          'their customers'' work is opened unassigned');
select is((select count(*)::int from app.workflow_executions e join app.customers c on c.id = e.customer_id
            where e.id = any(:'open_ids') and e.customer_search is distinct from app.queue_search_text(c.name, c.domain)),
          0, 'every search text is app.queue_search_text of its customer');
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.id = any(:'open_ids') and e.queue_type_rank is distinct from app.workflow_type_rank(w.workflow_type)::smallint),
          0, 'every type rank is app.workflow_type_rank of its workflow');
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            join app.customers c on c.id = e.customer_id
            where e.id = any(:'open_ids')
              and (e.queue_lane is distinct from app.queue_lane(w.workflow_type, w.key, e.renewal_stage, c.risk_score, false)
                   or e.priority_factors ->> 'lane' is distinct from app.queue_lane_name(e.queue_lane))),
          0, 'every lane (and its name in the factors) is app.queue_lane of its inputs');
select ok((select count(distinct e.queue_lane) from app.workflow_executions e where e.id = any(:'open_ids')) = 3,
          'the data covers the three lanes');

-- kept statistics vs a fresh aggregate (a filter that keeps everything), both CSMs
create function pg_temp.stats(person uuid, filters jsonb) returns jsonb language plpgsql as $$
declare
  s jsonb;
begin
  perform tests.authenticate_as('e_manager');
  s := public.get_workflow_queue(1, null, person, true, filters)::jsonb -> 'stats';
  perform tests.clear_authentication();
  return s;
end;
$$;
select is(pg_temp.stats(:'csm', '{}'), pg_temp.stats(:'csm', '{"lanes": ["now", "soon", "planned"]}'),
          'kept queue stats equal a fresh aggregate (csm)');
select is(pg_temp.stats(:'csm2', '{}'), pg_temp.stats(:'csm2', '{"lanes": ["now", "soon", "planned"]}'),
          'kept queue stats equal a fresh aggregate (csm2)');

-- Done for its period: a completed execution is not reopened by the next full run.
update app.workflow_executions set status = 'completed', completed_at = now()
 where id = (select e.id from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
              where e.id = any(:'open_ids') and w.workflow_type <> 'renewal' order by e.id limit 1)
returning customer_id as done_cust, workflow_id as done_wf \gset
select app.run_orchestrator_for_org(:'org', full_run => true) as r2 \gset
select is((:'r2'::jsonb ->> 'created')::int, 0, 'the second full run opens nothing');
select is((select count(*)::int from app.workflow_executions
            where customer_id = :'done_cust' and workflow_id = :'done_wf' and status = 'queued'),
          0, 'what is done for its period stays done');

select * from finish();
rollback;
