-- The queue's kept statistics after orchestrator runs equal a fresh count of the open work
-- they describe. A run holds the items of its supersede and open steps and adds them once
-- (migration 20261206235000), so a renewal that moves on a stage (one item out, one in, for
-- the same person and customer) cancels out before anything is written; the figures must
-- be the ones a person's queue would count afresh: per person (get_workflow_queue's kept
-- stats against its fresh aggregate), per person and customer, per person and decision
-- date. Some renewals are snoozed when they move on, so their person's items change kind.
begin;
select plan(15);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- Each person's stats, kept against fresh (tests.kept_queue_stats_are_fresh, as their
-- manager sees them), and the kept rows per customer and per decision date against a fresh
-- count.
create function pg_temp.kept_match_fresh(label text, org uuid) returns setof text language plpgsql as $$
begin
  return query select * from tests.kept_queue_stats_are_fresh(label, 'e_manager', array['e_csm', 'e_csm2']);
  -- Per person and customer, and per person and decision date: the kept rows and a fresh
  -- count of the open work differ in no row, either way.
  return next is_empty(format($q$
    with kept as (select assigned_to, customer_id, active, snoozed from app.queue_stat_customers where org_id = %1$L),
         fresh as (select assigned_to, customer_id,
                          count(*) filter (where status <> 'snoozed')::int as active,
                          count(*) filter (where status = 'snoozed')::int as snoozed
                     from app.workflow_executions
                    where org_id = %1$L and assigned_to is not null
                      and status in ('queued', 'in_progress', 'snoozed', 'escalated')
                    group by 1, 2)
    (table kept except table fresh) union all (table fresh except table kept) $q$, org),
    label || ': the distinct customers per person are a fresh count');
  return next is_empty(format($q$
    with kept as (select assigned_to, decision_date, active, snoozed from app.queue_stat_dates where org_id = %1$L),
         fresh as (select assigned_to, customer_decision_date as decision_date,
                          count(*) filter (where status <> 'snoozed')::int as active,
                          count(*) filter (where status = 'snoozed')::int as snoozed
                     from app.workflow_executions
                    where org_id = %1$L and assigned_to is not null and customer_decision_date is not null
                      and status in ('queued', 'in_progress', 'snoozed', 'escalated')
                    group by 1, 2)
    (table kept except table fresh) union all (table fresh except table kept) $q$, org),
    label || ': the decision dates per person are a fresh count');
end;
$$;

-- Customers of both CSMs with renewal dates every three days: over four days some
-- renewals move on a stage.
insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, assigned_to)
select :'org', 'Mover ' || g, 30000 * g, 40 + g % 50, :'today'::date + 1 + 3 * g, 10 + g % 80,
       case when g % 2 = 0 then :'csm2'::uuid else :'csm'::uuid end
  from generate_series(1, 60) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select * from pg_temp.kept_match_fresh('after the first run', :'org');

-- The second CSM's open renewals are snoozed, then the daily run four days later.
update app.workflow_executions e set status = 'snoozed', snoozed_until = now() + interval '30 days'
 where e.org_id = :'org' and e.renewal_stage is not null and e.status = 'queued' and e.assigned_to = :'csm2';
select app.run_orchestrator_for_org(:'org', :'today'::date + 4) as r \gset
select ok((:'r'::jsonb ->> 'superseded')::int >= 5, 'the later run superseded renewals that moved on a stage');
select ok(exists (
  select 1 from app.workflow_executions old
    join app.workflow_executions successor on successor.id = old.superseded_by
   where old.org_id = :'org' and old.status = 'superseded'
     and successor.assigned_to = old.assigned_to and successor.customer_id = old.customer_id),
  'each of those was followed for the same person and customer (items that cancel out)');
select ok(exists (
  select 1 from app.workflow_executions old
   where old.org_id = :'org' and old.status = 'superseded' and old.snoozed_until is not null),
  'a snoozed renewal was among them');
select * from pg_temp.kept_match_fresh('after the later run', :'org');

select * from finish();
rollback;
