-- The priority score of open workflow executions (domain.md "Priority score"), and the
-- triggers that keep it current when any of its inputs change.
--
-- Why: the queue orders one assignee's open executions by a stored `priority_score`, so
-- the formula runs when an input changes, never when the queue is read. Inputs and who
-- changes them:
--   customer arr / health / plan / stage / risk / opportunity -> customers trigger
--   customer assignee (moves that CSM's open executions)        -> customers trigger
--   assignee experience level                                 -> profiles trigger
--   assignee workload (their in-progress executions)          -> executions triggers
-- Every trigger is statement-level with transition tables: one set-based recompute per
-- statement touching only the executions whose inputs changed (a bulk import of 10 000
-- customers is one UPDATE, not 10 000), and a recompute writes only rows whose score or
-- factors actually differ.
--
-- "Active workflows of the assignee" counts their executions with status `in_progress`
-- (work they have started and not finished). Counting every queued item would give a
-- CSM with a 500-account book a penalty of -1000 on every item, which says nothing.
-- A workload change moves every open item of that assignee by the same amount, so it is
-- one UPDATE of that assignee's open executions (serialised per assignee by an advisory
-- lock, see app.lock_assignee_workload).

-- The queue sorts and counts by two customer fields (renewal date for the tie-break and
-- the stage stats, account plan for the plan stats). Copies on the execution, kept
-- current with the priority (same triggers, same statement), let one covering index
-- answer the whole queue of a 500-account CSM without visiting customers or the heap.
-- Added here (not in the data-model migration) because only the engine maintains them.
alter table app.workflow_executions
  add column customer_renewal_date date,
  add column customer_account_plan text;
comment on column app.workflow_executions.customer_renewal_date is 'Copy of the customer''s renewal_date while open (queue order and stats); kept by app.refresh_priorities.';
comment on column app.workflow_executions.customer_account_plan is 'Copy of the customer''s account_plan while open (queue stats); kept by app.refresh_priorities.';
create index workflow_executions_open_queue_idx
  on app.workflow_executions (org_id, assigned_to, status, priority_score desc, id)
  include (customer_id, workflow_id, customer_renewal_date, customer_account_plan)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');

-- Renewal, strategic, opportunity, risk, then custom: the tie-break order of the queue.
create or replace function app.workflow_type_rank(workflow_type text)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case workflow_type_rank.workflow_type
    when 'renewal' then 1
    when 'strategic' then 2
    when 'opportunity' then 3
    when 'risk' then 4
    else 5
  end
$$;
comment on function app.workflow_type_rank(text) is 'Queue tie-break order of a workflow type: renewal 1, strategic 2, opportunity 3, risk 4, custom 5.';

-- The formula of domain.md, every term by name. Pure: the same inputs give the same
-- factors, so tests can pin the worked example (Emergency, ARR 180 000, invest, senior,
-- 5 active -> 337).
create or replace function app.calculate_priority(
  workflow_type text,
  definition_base_score numeric,
  renewal_stage text,
  arr numeric,
  account_plan text,
  opportunity_score integer,
  risk_score integer,
  experience_level text,
  active_workflows integer
)
returns jsonb
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  base numeric;
  stage_bonus numeric := 0;
  arr_mult numeric;
  plan_mult numeric;
  experience_mult numeric;
  workload integer := coalesce(calculate_priority.active_workflows, 0);
  raw numeric;
begin
  base := case calculate_priority.workflow_type
    when 'renewal' then coalesce(app.renewal_stage_urgency(calculate_priority.renewal_stage), calculate_priority.definition_base_score)
    when 'strategic' then case calculate_priority.account_plan when 'invest' then 70 when 'expand' then 60 else 50 end
    when 'opportunity' then 50 + 0.5 * coalesce(calculate_priority.opportunity_score, 0)
    when 'risk' then 60 + 0.6 * coalesce(calculate_priority.risk_score, 0)
    else coalesce(calculate_priority.definition_base_score, 0)
  end;
  if calculate_priority.workflow_type = 'renewal' then
    stage_bonus := case calculate_priority.renewal_stage
      when 'Overdue' then 20 when 'Emergency' then 15 when 'Critical' then 10 else 0 end;
  end if;
  arr_mult := case
    when coalesce(calculate_priority.arr, 0) >= 150000 then 2.0
    when coalesce(calculate_priority.arr, 0) >= 100000 then 1.5
    else 1.0 end;
  plan_mult := case calculate_priority.account_plan
    when 'invest' then 1.5 when 'expand' then 1.3 when 'monitor' then 0.8 else 1.0 end;
  experience_mult := case calculate_priority.experience_level
    when 'expert' then 1.2 when 'senior' then 1.1 when 'junior' then 0.9 else 1.0 end;
  raw := (base + stage_bonus) * arr_mult * plan_mult * experience_mult - 2 * workload;
  return jsonb_build_object(
    'workflow_type', calculate_priority.workflow_type,
    'renewal_stage', case when calculate_priority.workflow_type = 'renewal' then calculate_priority.renewal_stage end,
    'base', base,
    'stage_bonus', stage_bonus,
    'arr', coalesce(calculate_priority.arr, 0),
    'arr_mult', arr_mult,
    'account_plan', calculate_priority.account_plan,
    'plan_mult', plan_mult,
    'experience_level', calculate_priority.experience_level,
    'experience_mult', experience_mult,
    'active_workflows', workload,
    'workload_penalty', 2 * workload,
    'raw_score', raw,
    'score', round(raw)
  );
end;
$$;
comment on function app.calculate_priority(text, numeric, text, numeric, text, integer, integer, text, integer) is
  'domain.md priority formula: round((base + stage_bonus) x arr_mult x plan_mult x experience_mult - 2 x active workflows), with every term by name.';

-- Serialises changes to one assignee's workload so two transactions that each start one
-- of the same person's executions cannot deadlock while re-scoring each other's rows.
-- Lifecycle RPCs take it before locking the execution row.
create or replace function app.lock_assignee_workload(assignee_id uuid)
returns void
language sql
set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.workload:' || lock_assignee_workload.assignee_id::text, 0))
  where lock_assignee_workload.assignee_id is not null
$$;

-- Recomputes the priority of the given open executions; one UPDATE, writes only changes.
-- security definer: priority is derived data kept current on behalf of whoever changed
-- an input (a manager changing a CSM's level re-scores rows that manager may also
-- change, but a CSM starting work re-scores only through this function); callers are
-- triggers of writes RLS already allowed.
create or replace function app.refresh_priorities(execution_ids uuid[])
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed integer;
begin
  if execution_ids is null or cardinality(execution_ids) = 0 then
    return 0;
  end if;
  -- unnest + join rather than `= any(array)`: a bulk insert passes 100 000+ ids.
  with target as materialized (
    select e.id, e.org_id, e.assigned_to, e.customer_id, e.workflow_id, e.renewal_stage
      from unnest(refresh_priorities.execution_ids) as ids(id)
      join app.workflow_executions e on e.id = ids.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), workload as materialized (
    select x.org_id, x.assigned_to, count(*)::integer as active
      from app.workflow_executions x
     where (x.org_id, x.assigned_to) in (select distinct t.org_id, t.assigned_to from target t where t.assigned_to is not null)
       and x.status = 'in_progress'
     group by x.org_id, x.assigned_to
  ), scored as (
    select t.id, c.renewal_date, c.account_plan,
           app.calculate_priority(
             w.workflow_type, w.base_score, coalesce(c.renewal_stage, t.renewal_stage),
             c.arr, c.account_plan, c.opportunity_score, c.risk_score,
             p.experience_level, coalesce(wl.active, 0)
           ) as factors
      from target t
      join app.customers c on c.id = t.customer_id
      join app.workflows w on w.id = t.workflow_id
      left join app.profiles p on p.id = t.assigned_to
      left join workload wl on wl.org_id = t.org_id and wl.assigned_to = t.assigned_to
  )
  update app.workflow_executions e
     set priority_score = (s.factors ->> 'score')::numeric,
         priority_factors = s.factors,
         customer_renewal_date = s.renewal_date,
         customer_account_plan = s.account_plan
    from scored s
   where e.id = s.id
     and (e.priority_score is distinct from (s.factors ->> 'score')::numeric
          or e.priority_factors is distinct from s.factors
          or e.customer_renewal_date is distinct from s.renewal_date
          or e.customer_account_plan is distinct from s.account_plan);
  get diagnostics changed = row_count;
  return changed;
end;
$$;

-- Every open execution of these assignees (their workload or experience changed).
create or replace function app.refresh_priorities_for_assignees(assignee_ids uuid[])
returns integer
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
begin
  if assignee_ids is null or cardinality(assignee_ids) = 0 then
    return 0;
  end if;
  select array_agg(e.id order by e.id) into ids
    from app.profiles p
    join app.workflow_executions e on e.org_id = p.org_id and e.assigned_to = p.id
   where p.id = any(refresh_priorities_for_assignees.assignee_ids)
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  return app.refresh_priorities(ids);
end;
$$;

-- Every open execution of these customers (their ARR, health, plan, stage or scores changed).
create or replace function app.refresh_priorities_for_customers(customer_ids uuid[])
returns integer
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
begin
  if customer_ids is null or cardinality(customer_ids) = 0 then
    return 0;
  end if;
  select array_agg(e.id) into ids
    from unnest(refresh_priorities_for_customers.customer_ids) as c(id)
    join app.workflow_executions e on e.customer_id = c.id
   where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  return app.refresh_priorities(ids);
end;
$$;

-- Customers: a change of a priority input re-scores that customer's open executions; a
-- change of CSM moves the open executions the previous CSM (or nobody) held to the new one.
create or replace function app.customers_keep_priorities_current()
returns trigger
language plpgsql
security definer -- moves executions of a reassigned customer; the customer write was allowed by RLS
set search_path = ''
as $$
declare
  changed_ids uuid[];
begin
  -- Reassignment first: the executions trigger then re-scores moved rows and both workloads.
  update app.workflow_executions e
     set assigned_to = n.assigned_to
    from new_rows n
    join old_rows o on o.id = n.id
   where o.assigned_to is distinct from n.assigned_to
     and e.customer_id = n.id
     and e.org_id = n.org_id
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (e.assigned_to is null or e.assigned_to = o.assigned_to);

  select array_agg(n.id) into changed_ids
    from new_rows n
    join old_rows o on o.id = n.id
   where n.arr is distinct from o.arr
      or n.health_score is distinct from o.health_score
      or n.account_plan is distinct from o.account_plan
      or n.renewal_stage is distinct from o.renewal_stage
      or n.renewal_date is distinct from o.renewal_date
      or n.risk_score is distinct from o.risk_score
      or n.opportunity_score is distinct from o.opportunity_score;
  perform app.refresh_priorities_for_customers(changed_ids);
  return null;
end;
$$;

create trigger customers_keep_priorities_current
  after update on app.customers
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.customers_keep_priorities_current();

-- Profiles: a new experience level re-scores that person's open executions.
create or replace function app.profiles_keep_priorities_current()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  changed_ids uuid[];
begin
  select array_agg(n.id) into changed_ids
    from new_rows n
    join old_rows o on o.id = n.id
   where n.experience_level is distinct from o.experience_level;
  perform app.refresh_priorities_for_assignees(changed_ids);
  return null;
end;
$$;

create trigger profiles_keep_priorities_current
  after update on app.profiles
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.profiles_keep_priorities_current();

-- Executions inserted: score them; if any arrives in progress, its assignee's workload changed.
create or replace function app.executions_score_inserted()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
  busy uuid[];
begin
  -- Rows inserted already scored (the orchestrator and the scale seed compute the
  -- priority in their INSERT with app.calculate_priority and the same inputs) are left
  -- alone; anything else is scored here.
  select array_agg(n.id) into ids from new_rows n
   where n.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (n.priority_factors = '{}'::jsonb or n.customer_account_plan is null);
  select array_agg(distinct n.assigned_to) into busy from new_rows n
   where n.status = 'in_progress' and n.assigned_to is not null;
  if busy is not null then
    perform app.refresh_priorities_for_assignees(busy);
  end if;
  perform app.refresh_priorities(ids);
  return null;
end;
$$;

create trigger workflow_executions_score_inserted
  after insert on app.workflow_executions
  referencing new table as new_rows
  for each statement execute function app.executions_score_inserted();

-- Executions updated: a change of status or assignee can change a workload (in progress
-- in or out) and the row's own inputs (assignee, workflow, customer). A priority-only
-- UPDATE (our own recompute) finds nothing here and stops.
create or replace function app.executions_rescore_updated()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  busy uuid[];
  ids uuid[];
begin
  select array_agg(distinct a.assignee) into busy
    from (
      select o.assigned_to as assignee
        from old_rows o join new_rows n on n.id = o.id
       where o.status = 'in_progress'
         and (n.status <> 'in_progress' or n.assigned_to is distinct from o.assigned_to)
      union
      select n.assigned_to
        from old_rows o join new_rows n on n.id = o.id
       where n.status = 'in_progress'
         and (o.status <> 'in_progress' or n.assigned_to is distinct from o.assigned_to)
    ) a
   where a.assignee is not null;

  select array_agg(n.id) into ids
    from old_rows o join new_rows n on n.id = o.id
   where n.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (n.assigned_to is distinct from o.assigned_to
          or n.customer_id is distinct from o.customer_id
          or n.workflow_id is distinct from o.workflow_id
          or n.renewal_stage is distinct from o.renewal_stage
          or o.status not in ('queued', 'in_progress', 'snoozed', 'escalated'));

  if busy is not null then
    perform app.refresh_priorities_for_assignees(busy);
  end if;
  perform app.refresh_priorities(ids);
  return null;
end;
$$;

create trigger workflow_executions_rescore_updated
  after update on app.workflow_executions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_rescore_updated();

create or replace function app.executions_rescore_deleted()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  busy uuid[];
begin
  select array_agg(distinct o.assigned_to) into busy from old_rows o
   where o.status = 'in_progress' and o.assigned_to is not null;
  perform app.refresh_priorities_for_assignees(busy);
  return null;
end;
$$;

create trigger workflow_executions_rescore_deleted
  after delete on app.workflow_executions
  referencing old table as old_rows
  for each statement execute function app.executions_rescore_deleted();

grant execute on function app.workflow_type_rank(text) to authenticated, service_role;
grant execute on function app.calculate_priority(text, numeric, text, numeric, text, integer, integer, text, integer) to authenticated, service_role;
grant execute on function app.lock_assignee_workload(uuid) to authenticated, service_role;
grant execute on function app.refresh_priorities(uuid[]) to service_role;
grant execute on function app.refresh_priorities_for_assignees(uuid[]) to service_role;
grant execute on function app.refresh_priorities_for_customers(uuid[]) to service_role;
