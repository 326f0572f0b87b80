-- The workload term of the priority is applied when a score is read, not stored (issue
-- 18, "orchestrator proportional to change"; docs/business-rules.md "Queue order: lane,
-- then priority"; docs/performance.md "The workload term is applied when read").
--
-- What and why: the formula ends in -2 x the assignee's in-progress workflows. Stored in
-- every row, one Start rewrote the whole book of its CSM (~890 rows, their index entries,
-- their cards and kept stats: ~110 ms), and a daily run that superseded in-progress
-- renewals of ~590 CSMs rewrote 520 000 rows (21 s at 300 000 customers). The term is the
-- same for every item of one person, so it never changes the order of one person's queue:
--
-- - `priority_score` and `priority_factors` now hold the score before the workload term
--   (the factors with active_workflows 0). The queue's index, its cursor and the kept
--   statistics' priority sum are over that score, and stay still when a workload moves.
-- - Every reader shows the score with the term applied, through one rule:
--   app.priority_with_workload(factors, active_workflows) (also the last step of
--   app.calculate_priority, so the formula is defined once), with the person's current
--   count from app.assignee_workload (a partial index of in-progress rows).
-- - Queue cards no longer carry the score; the page appends it, with the factors, from
--   the execution row and the target's workload (one count per page).
-- - A workload change re-renders the kept statistics of the people it touched (their
--   average and range move); nothing else is written.
--
-- Rounding: the score is round(before) - 2 x active. For any score >= 0 this equals
-- round(before - 2 x active) (the term is a whole number); below zero a .5 now rounds
-- up instead of away from zero, which keeps one person's order the same at any workload.

-- The in-progress count of one person: the workload term's input.
create index if not exists workflow_executions_in_progress_idx
  on app.workflow_executions (org_id, assigned_to)
  where status = 'in_progress';

-- The one rule for the workload term: factors scored with no workload, and the person's
-- in-progress count. Factors never scored (no raw_score) are returned as they are.
create or replace function app.priority_with_workload(factors jsonb, active_workflows integer)
returns jsonb
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  v_active integer := coalesce(priority_with_workload.active_workflows, 0);
begin
  -- plpgsql, as the two below: a SQL function with `set search_path` is never inlined and
  -- is planned again on every call; plpgsql keeps its plans for the session.
  if not priority_with_workload.factors ? 'raw_score' then
    return priority_with_workload.factors;
  end if;
  return priority_with_workload.factors || jsonb_build_object(
    'active_workflows', v_active,
    'workload_penalty', 2 * v_active,
    'raw_score', (priority_with_workload.factors ->> 'raw_score')::numeric - 2 * v_active,
    'score', (priority_with_workload.factors ->> 'score')::numeric - 2 * v_active);
end;
$$;
comment on function app.priority_with_workload(jsonb, integer) is
  'The priority factors with the workload term applied: active_workflows, workload_penalty = 2 x active, raw_score and score moved by -2 x active (factors scored with no workload in).';
revoke execute on function app.priority_with_workload(jsonb, integer) from public, anon;
grant execute on function app.priority_with_workload(jsonb, integer) to authenticated, service_role;

-- How many workflows this person has in progress (0 for nobody).
create or replace function app.assignee_workload(org_id uuid, assignee_id uuid)
returns integer
language plpgsql
stable
set search_path = ''
as $$
begin
  return (select count(*)::integer from app.workflow_executions e
           where e.org_id = assignee_workload.org_id and e.assigned_to = assignee_workload.assignee_id
             and e.status = 'in_progress');
end;
$$;
comment on function app.assignee_workload(uuid, uuid) is
  'The number of this person''s workflows in progress: the workload term of their items'' priority.';
revoke execute on function app.assignee_workload(uuid, uuid) from public, anon;
grant execute on function app.assignee_workload(uuid, uuid) to authenticated, service_role;

-- An execution's factors as shown: open items with their assignee's workload applied;
-- a closed item keeps what it was last scored.
create or replace function app.priority_shown(org_id uuid, assignee_id uuid, status text, factors jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  if priority_shown.status not in ('queued', 'in_progress', 'snoozed', 'escalated') then
    return priority_shown.factors;
  end if;
  return app.priority_with_workload(priority_shown.factors,
                                    app.assignee_workload(priority_shown.org_id, priority_shown.assignee_id));
end;
$$;
comment on function app.priority_shown(uuid, uuid, text, jsonb) is
  'An execution''s priority factors as shown: an open item''s with its assignee''s current workload applied (score is factors ->> ''score'').';
revoke execute on function app.priority_shown(uuid, uuid, text, jsonb) from public, anon;
grant execute on function app.priority_shown(uuid, uuid, text, jsonb) to authenticated, service_role;

-- The formula, every term by name: the part before the workload, then the workload term
-- by app.priority_with_workload.
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
  raw := (base + stage_bonus) * arr_mult * plan_mult * experience_mult;
  return app.priority_with_workload(jsonb_build_object(
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
    'raw_score', raw,
    'score', round(raw)
  ), calculate_priority.active_workflows);
end;
$$;
comment on function app.calculate_priority(text, numeric, text, numeric, text, integer, integer, text, integer) is
  'The priority formula (docs/business-rules.md): round((base + stage_bonus) x arr_mult x plan_mult x experience_mult) - 2 x active workflows, with every term by name.';

-- Recomputes the priority of the given open executions, before the workload term (see the
-- header); one UPDATE, writes only changes. security definer: see the released definition.
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
    select e.id, e.org_id, e.assigned_to, e.customer_id, e.workflow_id, e.renewal_stage,
           e.metadata ? 'handed_back_at' as handed_back
      from unnest(refresh_priorities.execution_ids) as ids(id)
      join app.workflow_executions e on e.id = ids.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), scored0 as (
    select t.id, c.renewal_date, c.decision_date, c.account_plan,
           app.queue_search_text(c.name, c.domain) as search,
           app.workflow_type_rank(w.workflow_type)::smallint as type_rank,
           app.queue_lane(w.workflow_type, w.key, coalesce(c.renewal_stage, t.renewal_stage), c.risk_score, t.handed_back) as lane,
           app.calculate_priority(
             w.workflow_type, w.base_score, coalesce(c.renewal_stage, t.renewal_stage),
             c.arr, c.account_plan, c.opportunity_score, c.risk_score,
             p.experience_level, 0 -- the workload term is applied when read
           ) as factors
      from target t
      join app.customers c on c.id = t.customer_id
      join app.workflows w on w.id = t.workflow_id
      left join app.profiles p on p.id = t.assigned_to
  ), scored as (
    select s0.id, s0.renewal_date, s0.decision_date, s0.account_plan, s0.lane, s0.search, s0.type_rank,
           s0.factors || jsonb_build_object('lane', app.queue_lane_name(s0.lane)) as factors
      from scored0 s0
  )
  update app.workflow_executions e
     set priority_score = (s.factors ->> 'score')::numeric,
         priority_factors = s.factors,
         customer_renewal_date = s.renewal_date,
         customer_decision_date = s.decision_date,
         customer_account_plan = s.account_plan,
         queue_lane = s.lane,
         customer_search = s.search,
         queue_type_rank = s.type_rank
    from scored s
   where e.id = s.id
     and (e.priority_score is distinct from (s.factors ->> 'score')::numeric
          or e.priority_factors is distinct from s.factors
          or e.customer_renewal_date is distinct from s.renewal_date
          or e.customer_decision_date is distinct from s.decision_date
          or e.customer_account_plan is distinct from s.account_plan
          or e.queue_lane is distinct from s.lane
          or e.customer_search is distinct from s.search
          or e.queue_type_rank is distinct from s.type_rank);
  get diagnostics changed = row_count;
  return changed;
end;
$$;


-- After these people's in-progress counts changed: their items' shown scores move with
-- the count (applied when read), so only their kept statistics (average and range) are
-- rendered again. Returns 0: no execution row is written.
create or replace function app.refresh_priorities_for_assignees(assignee_ids uuid[])
returns integer
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
begin
  if assignee_ids is null or cardinality(assignee_ids) = 0 then
    return 0;
  end if;
  perform app.queue_stats_render_or_defer(array(
    select row(p.org_id, p.id)::app.queue_stats_person
      from app.profiles p
     where p.id = any(refresh_priorities_for_assignees.assignee_ids)
     order by p.org_id, p.id));
  return 0;
end;
$$;
comment on function app.refresh_priorities_for_assignees(uuid[]) is
  'After these people''s in-progress counts changed: renders their kept queue statistics again (the workload term is applied when a score is read, so no execution row changes).';

-- The orchestrator opens new work scored before the workload term (see the header).
create or replace function app.orchestrator_open(org_id uuid, as_of date)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_open.org_id;
  v_lanes jsonb;
  v_ranks jsonb;
  v_deactivated uuid[];
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, decision_date date, workflow_key text, new_id uuid)';
  -- The lane (with its name) and the type rank by the rules' own functions, once per
  -- distinct input (a few hundred) instead of once per row; looked up below by key (the
  -- lane's inputs as one text, quote_nullable keeping null and '' apart).
  select jsonb_object_agg(k.key, jsonb_build_array(k.lane, app.queue_lane_name(k.lane))) into v_lanes
    from (select i.key, app.queue_lane(i.workflow_type, i.workflow_key, i.renewal_stage, i.risk_score, false) as lane
            from (select distinct concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as key,
                         d.workflow_type, d.workflow_key, d.renewal_stage, d.risk_score
                    from pg_temp.orchestrator_desired d) i) k;
  select jsonb_object_agg(i.workflow_type, app.workflow_type_rank(i.workflow_type)) into v_ranks
    from (select distinct d.workflow_type from pg_temp.orchestrator_desired d) i;

  -- New work for a deactivated person opens unassigned (app.unassign_new_work_of_deactivated,
  -- applied here in the same statement; its row trigger is told so and stays idle), scored
  -- as unassigned work is (no experience level), as app.refresh_priorities would.
  -- The organisation's deactivated people as a list: a join to profiles, planned for the
  -- one row the temp table was estimated at, was a scan of profiles per row (1 s at 7 000).
  select coalesce(array_agg(p.id), '{}') into v_deactivated
    from app.profiles p where p.org_id = v_org and p.deactivated_at is not null;
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', 'on', true);
  with todo as (
    select d.customer_id, d.workflow_id, d.version_id, d.workflow_type, d.base_score, d.total_steps,
           d.first_step_key, d.renewal_stage, d.period_key, d.reason, d.arr, d.account_plan, d.risk_score,
           d.opportunity_score, d.renewal_date, d.decision_date, d.workflow_key, d.new_id,
           case when d.assigned_to = any(v_deactivated) then null else d.assigned_to end as assigned_to,
           case when d.assigned_to = any(v_deactivated) then null else d.experience_level end as experience_level,
           v_lanes -> concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as lane,
           (v_ranks ->> d.workflow_type)::smallint as type_rank
      from pg_temp.orchestrator_desired d
     where not exists (
       select 1 from app.workflow_executions x
        where x.org_id = v_org and x.customer_id = d.customer_id and x.workflow_id = d.workflow_id
          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          and x.period_key = d.period_key)
       and not exists (
         select 1 from app.workflow_executions x
          where x.customer_id = d.customer_id and x.workflow_id = d.workflow_id and x.period_key = d.period_key
            and x.org_id = v_org
            and x.status in ('completed', 'completed_with_pending_tasks', 'skipped'))
  ), scored as materialized (
    -- the formula once per row, in a pass of its own (a lateral call was wrapped in a
    -- Memoize that never hit: 538 000 misses, seconds of hashing at 300k)
    select t.*, app.calculate_priority(t.workflow_type, t.base_score, t.renewal_stage, t.arr, t.account_plan,
                                       t.opportunity_score, t.risk_score, t.experience_level, 0) as factors
      from todo t
  ), inserted as (
    insert into app.workflow_executions (
      id, org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status,
      priority_score, priority_factors, customer_renewal_date, customer_account_plan,
      customer_decision_date, queue_lane, renewal_stage, period_key, trigger_reason,
      current_step_key, current_step_index, total_steps, metadata,
      customer_search, queue_type_rank)
    select t.new_id, v_org, t.customer_id, t.workflow_id, t.version_id, t.assigned_to, 'queued',
           (t.factors ->> 'score')::numeric,
           t.factors || jsonb_build_object('lane', t.lane ->> 1), t.renewal_date, t.account_plan,
           t.decision_date, (t.lane ->> 0)::smallint, t.renewal_stage, t.period_key, t.reason,
           t.first_step_key, case when t.first_step_key is null then null else 0 end, t.total_steps,
           jsonb_build_object('history', jsonb_build_array(jsonb_build_object(
             'event', 'created', 'at', now(), 'by', 'orchestrator', 'as_of', orchestrator_open.as_of, 'reason', t.reason))),
           -- app.queue_search_text(c.name, c.domain), written out (a `set search_path`
           -- function is called, never inlined: 180 000 calls cost seconds)
           lower(coalesce(c.name, '')) || chr(31) || lower(coalesce(c.domain, '')),
           t.type_rank
      from scored t
      join app.customers c on c.id = t.customer_id and c.org_id = v_org
     order by t.customer_id, t.workflow_id
    on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
    do nothing
    returning id
  )
  select array_agg(id) into v_ids from inserted;
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', '', true);
  return coalesce(v_ids, '{}');
end;
$$;


-- Queue cards hold the factors before the workload term, split for the page: the factors
-- object without its four workload keys and its closing brace (`priority_head`), and the
-- raw score before the term. The page appends the keys with the target's workload, so a
-- workload change leaves every card as it is. The result's columns change: dropped and
-- created again (queue_cards_write and the page call it by name).
alter table app.queue_cards add column priority_head text, add column raw_score numeric;
comment on column app.queue_cards.priority_head is
  'The execution''s priority factors before the workload term, without active_workflows, workload_penalty, raw_score and score, its closing brace left off (the page appends them).';
comment on column app.queue_cards.raw_score is 'The raw score before the workload term.';
drop function app.queue_card_parts(uuid[]);
create function app.queue_card_parts(ids uuid[])
returns table (execution_id uuid, org_id uuid, renewal_date date, decision_date date, head text, tail text,
               priority_head text, raw_score numeric)
language sql
stable
set search_path = ''
set timezone = 'UTC'
as $$
  with e as (
    select x.* from app.workflow_executions x
     where x.id = any(queue_card_parts.ids) and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), titles as materialized (
    -- A step row's title is copied from its version's config (app.create_step_rows), and a
    -- queued execution has no step rows yet: the config is the source, read once per version.
    select v.id as version_id, st.step ->> 'key' as key, st.step ->> 'title' as title
      from (select distinct e.workflow_version_id from e) dv
      join app.workflow_versions v on v.id = dv.workflow_version_id
     cross join lateral jsonb_array_elements(v.config -> 'steps') as st(step)
  )
  select e.id, e.org_id, c.renewal_date, c.decision_date,
         -- head: the customer object left open for the day's fields.
         '{"execution_id":"' || e.id || '","workflow_key":' || to_json(w.key)
         || ',"workflow_name":' || to_json(w.name) || ',"workflow_type":' || to_json(w.workflow_type)
         || ',"status":' || to_json(e.status)
         || ',"lane":' || case coalesce(e.queue_lane, 3) when 1 then '"now"' when 2 then '"soon"' else '"planned"' end
         || ',"customer":{"id":"' || c.id || '","name":' || to_json(c.name)
         || ',"domain":' || coalesce(to_json(c.domain)::text, 'null')
         || ',"arr":' || coalesce(c.arr::text, 'null')
         || ',"health_score":' || coalesce(c.health_score::text, 'null')
         || ',"account_plan":' || coalesce(to_json(c.account_plan)::text, 'null')
         || ',"renewal_date":' || coalesce(to_json(c.renewal_date)::text, 'null')
         || ',"decision_date":' || coalesce(to_json(c.decision_date)::text, 'null')
         || ',"assigned_to":' || coalesce('"' || c.assigned_to || '"', 'null')
         || ',"risk_score":' || coalesce(c.risk_score::text, 'null')
         || ',"opportunity_score":' || coalesce(c.opportunity_score::text, 'null'),
         -- tail: after the customer, without the item's closing brace.
         ',"assignee_id":' || coalesce('"' || e.assigned_to || '"', 'null')
         || ',"current_step":' || case when e.current_step_key is null then 'null' else
              '{"key":' || to_json(e.current_step_key)
              || ',"title":' || to_json(coalesce((select t.title from titles t
                                                      where t.version_id = e.workflow_version_id
                                                        and t.key = e.current_step_key), e.current_step_key))
              || ',"index":' || coalesce(e.current_step_index::text, 'null') || '}' end
         || ',"total_steps":' || e.total_steps || ',"completed_steps":' || e.completed_steps
         || ',"snoozed_until":' || coalesce(to_json(e.snoozed_until)::text, 'null')
         || ',"created_at":' || to_json(e.created_at),
         left((e.priority_factors - array['active_workflows', 'workload_penalty', 'raw_score', 'score'])::text, -1),
         (e.priority_factors ->> 'raw_score')::numeric
    from e
    join app.customers c on c.id = e.customer_id
    join app.workflows w on w.id = e.workflow_id
$$;
comment on function app.queue_card_parts(uuid[]) is
  'The queue card of each of these executions that is open, rendered from the current rows (the one renderer of a queue item).';
revoke execute on function app.queue_card_parts(uuid[]) from public, anon;
-- Security invoker: a page renders a missing card with the caller's own read rights.
grant execute on function app.queue_card_parts(uuid[]) to authenticated, service_role;

-- Stores the cards of these executions as they are now, the factors' parts included.
create or replace function app.queue_cards_write(ids uuid[])
returns void
language plpgsql
security definer -- writes the derived table no role may write; called by triggers and the job
set search_path = ''
as $$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  insert into app.queue_cards as k (execution_id, org_id, renewal_date, decision_date, head, tail, priority_head, raw_score)
  select p.execution_id, p.org_id, p.renewal_date, p.decision_date, p.head, p.tail, p.priority_head, p.raw_score
    from app.queue_card_parts(ids) p
   order by p.execution_id -- the lock order (see the released definition)
  on conflict (execution_id) do update
     set org_id = excluded.org_id, renewal_date = excluded.renewal_date, decision_date = excluded.decision_date,
         head = excluded.head, tail = excluded.tail, priority_head = excluded.priority_head, raw_score = excluded.raw_score
   where (k.org_id, k.renewal_date, k.decision_date, k.head, k.tail, k.priority_head, k.raw_score)
         is distinct from (excluded.org_id, excluded.renewal_date, excluded.decision_date, excluded.head, excluded.tail,
                           excluded.priority_head, excluded.raw_score);
  delete from app.queue_cards k
   where k.execution_id = any(ids)
     and not exists (select 1 from app.workflow_executions e
                      where e.id = k.execution_id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated'));
end;
$$;

-- The page appends each item's score and the workload keys of its factors with the
-- target's workload (one count per page); the cursor and the order stay over the score
-- before it.
drop function app.queue_page_json(app.queue_row[], integer, date, boolean);
create or replace function app.queue_page_json(page app.queue_row[], page_size integer, today date, grouped boolean, workload integer)
returns json
language plpgsql
stable
set search_path = ''
as $$
declare
  v_shift integer := 2 * coalesce(queue_page_json.workload, 0);
  -- The keys every item of the page shares, written once.
  v_keys text := ', "active_workflows": ' || coalesce(queue_page_json.workload, 0)
                 || ', "workload_penalty": ' || 2 * coalesce(queue_page_json.workload, 0) || ', "raw_score": ';
begin
  return (
    select coalesce('[' || string_agg(
             k.head
             || ',"renewal_stage":' || case
                  when k.decision_date is null then 'null'
                  when k.decision_date - queue_page_json.today < 0 then '"Overdue"'
                  when k.decision_date - queue_page_json.today < 7 then '"Emergency"'
                  when k.decision_date - queue_page_json.today < 14 then '"Critical"'
                  when k.decision_date - queue_page_json.today < 30 then '"Signature"'
                  when k.decision_date - queue_page_json.today < 60 then '"Finalize"'
                  when k.decision_date - queue_page_json.today < 90 then '"Negotiate"'
                  when k.decision_date - queue_page_json.today < 120 then '"Engage"'
                  when k.decision_date - queue_page_json.today < 180 then '"Prepare"'
                  else '"Monitor"' end
             || ',"days_until_renewal":' || coalesce((k.renewal_date - queue_page_json.today)::text, 'null')
             || ',"days_until_decision":' || coalesce((k.decision_date - queue_page_json.today)::text, 'null')
             || '}' || k.tail
             || case when queue_page_json.grouped
                     then ',"other_items":' || json_build_object(
                            'count', coalesce(n.other_count, 0),
                            'kinds', coalesce(to_json(n.other_kinds), '[]'::json))::text
                     else '' end
             -- app.priority_with_workload's four keys, written as text onto the card's factors
             -- (a call and a jsonb per item cost ~10 us each, half the page's time;
             -- priority/workload_change_matches_the_formula checks the page against it).
             || ',"priority_score":' || (n.priority_score - v_shift)::integer
             || ',"priority_factors":' || k.priority_head
             -- an item never scored has no raw score: its factors close as they are
             || coalesce(v_keys || (k.raw_score - v_shift) || ', "score": ' || (n.priority_score - v_shift) || '}', '}')
             || '}', ',' order by n.ord) || ']', '[]')::json
      from unnest(queue_page_json.page) with ordinality
             as n(id, lane, priority_score, sort_date, type_rank, customer_id, account_plan, days, other_count, other_kinds, ord)
      left join app.queue_cards k0 on k0.execution_id = n.id
      -- coalesce evaluates the render only for an item without a card.
     cross join lateral (select (coalesce(k0, (select row(f.*)::app.queue_cards
                                                 from app.queue_card_parts(array[n.id]) f))).* offset 0) k
     where n.ord <= queue_page_json.page_size
       and k.head is not null);
end;
$$;
revoke execute on function app.queue_page_json(app.queue_row[], integer, date, boolean, integer) from public, anon;
grant execute on function app.queue_page_json(app.queue_row[], integer, date, boolean, integer) to authenticated, service_role;

-- A filtered call's stats: the average and range with the target's workload applied.
drop function app.queue_aggregate_stats(app.queue_row[]);
create or replace function app.queue_aggregate_stats(rows app.queue_row[], workload integer)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return app.queue_stats_json((
    select row(count(*),
               count(*) filter (where r.lane = 1), count(*) filter (where r.lane = 2), count(*) filter (where r.lane = 3),
               count(*) filter (where r.type_rank = 1), count(*) filter (where r.type_rank = 2),
               count(*) filter (where r.type_rank = 3), count(*) filter (where r.type_rank = 4),
               count(*) filter (where r.type_rank = 5),
               count(*) filter (where r.days < 0), count(*) filter (where r.days between 0 and 6),
               count(*) filter (where r.days between 7 and 13), count(*) filter (where r.days between 14 and 29),
               count(*) filter (where r.days between 30 and 59), count(*) filter (where r.days between 60 and 89),
               count(*) filter (where r.days between 90 and 119), count(*) filter (where r.days between 120 and 179),
               count(*) filter (where r.days >= 180),
               count(*) filter (where r.account_plan = 'expand'), count(*) filter (where r.account_plan = 'invest'),
               count(*) filter (where r.account_plan = 'manage'), count(*) filter (where r.account_plan = 'monitor'),
               count(distinct r.customer_id), round(avg(r.priority_score - 2 * queue_aggregate_stats.workload), 1),
               min(r.priority_score - 2 * queue_aggregate_stats.workload)::integer,
               max(r.priority_score - 2 * queue_aggregate_stats.workload)::integer)::app.queue_counts
      from unnest(queue_aggregate_stats.rows) r));
end;
$$;
revoke execute on function app.queue_aggregate_stats(app.queue_row[], integer) from public, anon;
grant execute on function app.queue_aggregate_stats(app.queue_row[], integer) to authenticated, service_role;

-- Unfiltered stats: the kept priority sum and the index's ends are before the workload
-- term; the person's count applies it (a workload change renders them again).
create or replace function app.queue_stats_of(org_id uuid, target uuid, include_snoozed boolean, today date)
returns jsonb
language plpgsql
stable
security definer -- reads derived tables no role may read; callers check who may see what
set search_path = ''
as $$
declare
  k app.queue_stats;
  c app.queue_counts;
  v_workload integer := app.assignee_workload(queue_stats_of.org_id, queue_stats_of.target);
begin
  select * into k from app.queue_stats s
   where s.org_id = queue_stats_of.org_id and s.assigned_to = queue_stats_of.target
     and s.include_snoozed = queue_stats_of.include_snoozed;
  if not found or k.items <= 0 then
    return app.queue_stats_json(null);
  end if;
  c := row(k.items, k.lane_now, k.lane_soon, k.lane_planned, k.type_renewal, k.type_strategic, k.type_opportunity,
           k.type_risk, k.type_custom, 0, 0, 0, 0, 0, 0, 0, 0, 0, k.plan_expand, k.plan_invest, k.plan_manage,
           k.plan_monitor, k.customers, round((k.priority_sum - 2 * v_workload * k.items) / k.items, 1), null, null)::app.queue_counts;
  select coalesce(sum(d.n) filter (where d.days < 0), 0),
         coalesce(sum(d.n) filter (where d.days between 0 and 6), 0),
         coalesce(sum(d.n) filter (where d.days between 7 and 13), 0),
         coalesce(sum(d.n) filter (where d.days between 14 and 29), 0),
         coalesce(sum(d.n) filter (where d.days between 30 and 59), 0),
         coalesce(sum(d.n) filter (where d.days between 60 and 89), 0),
         coalesce(sum(d.n) filter (where d.days between 90 and 119), 0),
         coalesce(sum(d.n) filter (where d.days between 120 and 179), 0),
         coalesce(sum(d.n) filter (where d.days >= 180), 0)
    into c.s_overdue, c.s_emergency, c.s_critical, c.s_signature, c.s_finalize, c.s_negotiate, c.s_engage,
         c.s_prepare, c.s_monitor
    from (select x.decision_date - today as days,
                 x.active + case when queue_stats_of.include_snoozed then x.snoozed else 0 end as n
            from app.queue_stat_dates x
           where x.org_id = queue_stats_of.org_id and x.assigned_to = queue_stats_of.target) d;
  select max(hi.p)::integer - 2 * v_workload, min(lo.p)::integer - 2 * v_workload into c.max_priority, c.min_priority
    from unnest('{1,2,3}'::smallint[]) l(lane)
    left join lateral (
      select e.priority_score as p from app.workflow_executions e
       where e.org_id = queue_stats_of.org_id and e.assigned_to = queue_stats_of.target and e.queue_lane = l.lane
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         and (queue_stats_of.include_snoozed or e.status <> 'snoozed')
       order by -e.priority_score limit 1) hi on true
    left join lateral (
      select e.priority_score as p from app.workflow_executions e
       where e.org_id = queue_stats_of.org_id and e.assigned_to = queue_stats_of.target and e.queue_lane = l.lane
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         and (queue_stats_of.include_snoozed or e.status <> 'snoozed')
       order by -e.priority_score desc limit 1) lo on true;
  return app.queue_stats_json(c);
end;
$$;

create or replace function public.get_workflow_queue(
  page_size integer default 50,
  cursor text default null,
  assignee_id uuid default null,
  include_snoozed boolean default false,
  filters jsonb default '{}'::jsonb,
  group_by_customer boolean default false
)
returns json
language plpgsql
stable
set search_path = ''
-- For every statement of the functions it calls: planned once per session. Left to choose,
-- the plan cache re-plans the bigger statements on every call (more than they cost to run).
set plan_cache_mode = force_generic_plan
as $$
declare
  who record;
  v_filter app.queue_filter;
  v_pos app.queue_position;
  v_today date;
  v_snoozed boolean := coalesce(get_workflow_queue.include_snoozed, false);
  v_grouped boolean := coalesce(get_workflow_queue.group_by_customer, false);
  v_rows app.queue_row[];
  v_page app.queue_row[];
  v_stats jsonb;
  v_last app.queue_row;
  v_workload integer;
begin
  who := app.queue_target(get_workflow_queue.assignee_id);
  if get_workflow_queue.page_size is null or get_workflow_queue.page_size < 1 or get_workflow_queue.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  v_filter := app.queue_filter_of(get_workflow_queue.filters);
  v_pos := app.queue_position_of(get_workflow_queue.cursor);
  v_today := app.organisation_today(who.org_id);
  v_workload := app.assignee_workload(who.org_id, who.target);
  if v_filter is null and not v_grouped then
    v_stats := app.queue_kept_stats(who.org_id, who.target, v_snoozed, v_today);
    v_page := app.queue_keyset_page(who.org_id, who.target, v_snoozed, v_pos, get_workflow_queue.page_size, v_today);
  else
    v_rows := app.queue_filtered_rows(who.org_id, who.target, v_snoozed, v_filter, v_today);
    v_stats := app.queue_aggregate_stats(v_rows, v_workload);
    v_page := app.queue_pick_page(v_rows, v_grouped, v_pos, get_workflow_queue.page_size);
  end if;
  if cardinality(v_page) > get_workflow_queue.page_size then
    v_last := v_page[get_workflow_queue.page_size];
  end if;
  return json_build_object(
    'items', app.queue_page_json(v_page, get_workflow_queue.page_size, v_today, v_grouped, v_workload),
    'next_cursor', case when v_last.id is not null
                        then app.queue_cursor(v_last.lane, v_last.priority_score, v_last.sort_date, v_last.type_rank, v_last.id) end,
    'stats', v_stats);
end;
$$;

-- Readers show the score with the workload term applied (app.priority_shown). A customer's
-- open items can belong to different people, so their order follows the shown score.

create or replace function app.context_workflow(customer_id uuid, org_id uuid, execution_id uuid, clock jsonb)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  x record;
  v_open jsonb;
begin
  select e.id, w.key as workflow_key, w.name as workflow_name, w.workflow_type, e.status,
         app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors) as priority_factors,
         e.renewal_stage, e.current_step_key,
         e.assigned_to, e.snoozed_until, e.created_at, e.updated_at
    into x
    from app.workflow_executions e
    join app.workflows w on w.id = e.workflow_id
   -- The execution asked about, else the customer's newest open renewal (looked up only
   -- when no execution was named).
   where e.id = coalesce(execution_id, (
           select o.id from app.workflow_executions o join app.workflows ow on ow.id = o.workflow_id
            where o.customer_id = customer_id and o.org_id = org_id and ow.workflow_type = 'renewal'
              and o.status in ('queued', 'in_progress', 'snoozed', 'escalated')
            order by o.created_at desc
            limit 1))
     and e.org_id = org_id;
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', o.id, 'workflow_key', o.key, 'workflow_type', o.workflow_type,
           'status', o.status, 'priority_score', o.priority_score
         ) order by o.priority_score desc, o.id), '[]'::jsonb)
    into v_open
    from (select e.id, w.key, w.workflow_type, e.status,
                 (app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors) ->> 'score')::numeric as priority_score
            from app.workflow_executions e
            join app.workflows w on w.id = e.workflow_id
           where e.customer_id = customer_id and e.org_id = org_id
             and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
           order by 5 desc, e.id
           limit 20) o;
  return row(clock || jsonb_build_object(
    'priority_score', (x.priority_factors ->> 'score')::numeric,
    'execution', case when x.id is null then null else jsonb_build_object(
      'id', x.id, 'workflow_key', x.workflow_key, 'workflow_name', x.workflow_name,
      'workflow_type', x.workflow_type, 'status', x.status, 'priority_score', (x.priority_factors ->> 'score')::numeric,
      'priority_factors', x.priority_factors, 'renewal_stage', x.renewal_stage,
      'current_step_key', x.current_step_key, 'assigned_to', x.assigned_to,
      'snoozed_until', x.snoozed_until, 'created_at', x.created_at) end,
    'open_executions', v_open
  ), x.updated_at)::app.context_part;
end;
$$;

create or replace function app.execution_summary(execution_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
           'id', e.id,
           'status', e.status,
           'assignee_id', e.assigned_to,
           'snoozed_until', e.snoozed_until,
           'started_at', e.started_at,
           'completed_at', e.completed_at,
           'priority_score', (app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors) ->> 'score')::numeric,
           'current_step', case when e.current_step_key is null then null else jsonb_build_object(
             'key', e.current_step_key,
             'title', coalesce(
               (select s.title from app.workflow_step_executions s
                 where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = e.current_step_key),
               (select v.config -> 'steps' -> e.current_step_index ->> 'title'
                  from app.workflow_versions v where v.id = e.workflow_version_id)),
             'index', e.current_step_index) end,
           'total_steps', e.total_steps,
           'completed_steps', e.completed_steps,
           'progress', case when e.total_steps = 0 then 0 else round(e.completed_steps::numeric / e.total_steps, 4) end
         )
    from app.workflow_executions e
   where e.id = execution_summary.execution_id
$$;

create or replace function public.get_workflow_execution(execution_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_result jsonb;
begin
  if get_workflow_execution.execution_id is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;
  select * into e from app.workflow_executions x where x.id = get_workflow_execution.execution_id;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;

  select jsonb_build_object(
    'id', e.id,
    'execution_id', e.id,
    'workflow', jsonb_build_object('id', w.id, 'key', w.key, 'name', w.name, 'type', w.workflow_type,
                                   'version', v.version, 'version_id', v.id),
    'workflow_key', w.key,
    'workflow_name', w.name,
    'workflow_type', w.workflow_type,
    'status', e.status,
    'priority_score', (app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors) ->> 'score')::integer,
    'priority_factors', app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors),
    'assignee_id', e.assigned_to,
    'renewal_stage', e.renewal_stage,
    'period_key', e.period_key,
    'trigger_reason', e.trigger_reason,
    'current_step', case when e.current_step_key is null then null else jsonb_build_object(
      'key', e.current_step_key, 'index', e.current_step_index,
      'title', coalesce(v.config -> 'steps' -> e.current_step_index ->> 'title', e.current_step_key)) end,
    'total_steps', e.total_steps,
    'completed_steps', e.completed_steps,
    'progress', case when e.total_steps = 0 then 0 else round(e.completed_steps::numeric / e.total_steps, 4) end,
    'snoozed_until', e.snoozed_until,
    'started_at', e.started_at,
    'completed_at', e.completed_at,
    'superseded_by', e.superseded_by,
    'metadata', e.metadata,
    'outcome', e.outcome,
    'created_at', e.created_at,
    'updated_at', e.updated_at,
    'customer', app.customer_card(c, app.organisation_today(e.org_id)),
    'steps', app.execution_steps_json(e, v),
    'threads', app.execution_threads_json(e),
    'artifacts', app.execution_artifacts_json(e),
    'tasks', app.execution_tasks_json(e),
    'actions', app.execution_actions_json(e),
    'meetings', app.execution_meetings_json(e))
    into v_result
    from app.workflows w, app.workflow_versions v, app.customers c
   where w.id = e.workflow_id and v.id = e.workflow_version_id and c.id = e.customer_id;
  return v_result;
end;
$$;

create or replace function public.get_customer_overview(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_today date;
  c app.customers;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read customers' using errcode = '42501';
  end if;
  if get_customer_overview.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  select * into c from app.customers x where x.id = get_customer_overview.customer_id and x.org_id = v_org;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  v_today := app.organisation_today(v_org);

  return jsonb_build_object(
    'customer', app.customer_card(c, v_today),
    'workflows', coalesce((
      select jsonb_agg(jsonb_build_object(
               'execution_id', x.id, 'workflow_key', w.key, 'workflow_name', w.name, 'workflow_type', w.workflow_type,
               'status', x.status, 'open', app.is_open_status(x.status),
               'lane', case when app.is_open_status(x.status) then app.queue_lane_name(x.queue_lane) end,
               'priority_score', (app.priority_shown(x.org_id, x.assigned_to, x.status, x.priority_factors) ->> 'score')::numeric,
               'assignee', case when p.id is null then null else jsonb_build_object('id', p.id, 'full_name', p.full_name) end,
               'total_steps', x.total_steps, 'current_step_index', x.current_step_index,
               'created_at', x.created_at, 'started_at', x.started_at, 'completed_at', x.completed_at,
               'snoozed_until', x.snoozed_until)
             order by app.is_open_status(x.status) desc, coalesce(x.completed_at, x.created_at) desc)
        from (select * from app.workflow_executions x0
               where x0.customer_id = c.id and x0.org_id = v_org
               order by x0.created_at desc limit 100) x
        join app.workflows w on w.id = x.workflow_id
        left join app.profiles p on p.id = x.assigned_to and p.org_id = v_org), '[]'::jsonb),
    'tasks', coalesce((
      select jsonb_agg(app.task_json(t, v_today) || jsonb_build_object(
               'customer', jsonb_build_object('id', c.id, 'name', c.name), 'customer_name', c.name,
               'assignee', case when p.id is null then null else jsonb_build_object('id', p.id, 'full_name', p.full_name) end)
             order by coalesce(t.due_date, 'infinity'::timestamptz), t.id)
        from (select * from app.workflow_tasks t0
               where t0.customer_id = c.id and t0.org_id = v_org and t0.status in ('pending', 'in_progress', 'snoozed')
               order by coalesce(t0.due_date, 'infinity'::timestamptz), t0.id limit 50) t
        left join app.profiles p on p.id = t.assigned_to and p.org_id = v_org), '[]'::jsonb),
    'startable_workflows', public.list_startable_workflows(c.id),
    'artifacts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', a.id, 'execution_id', a.execution_id, 'artifact_type', a.artifact_type, 'title', a.title,
               'approved_at', a.approved_at, 'created_at', a.created_at, 'workflow_name', a.workflow_name)
             order by a.created_at desc)
        from (select t.*, w.name as workflow_name
                from app.workflow_executions x
                join app.workflows w on w.id = x.workflow_id
                join app.workflow_task_artifacts t on t.execution_id = x.id and t.org_id = v_org
               where x.customer_id = c.id and x.org_id = v_org
               order by t.created_at desc limit 50) a), '[]'::jsonb),
    'contracts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', k.id, 'contract_number', k.contract_number, 'status', k.status,
               'start_date', k.start_date, 'end_date', k.end_date, 'annual_value', k.annual_value, 'currency', k.currency,
               'auto_renew', k.auto_renew, 'notice_period_days', k.notice_period_days,
               'notice_deadline', case when k.auto_renew and coalesce(k.notice_period_days, 0) > 0 and k.end_date is not null
                                       then k.end_date - k.notice_period_days end,
               'days_until_notice_deadline', case when k.auto_renew and coalesce(k.notice_period_days, 0) > 0 and k.end_date is not null
                                                  then k.end_date - k.notice_period_days - v_today end)
             order by k.end_date desc nulls last)
        from app.contracts k where k.customer_id = c.id and k.org_id = v_org), '[]'::jsonb),
    'health_history', coalesce((
      select jsonb_agg(jsonb_build_object('recorded_at', h.recorded_at, 'health_score', h.health_score) order by h.recorded_at)
        from (select * from app.customer_score_history h0
               where h0.customer_id = c.id and h0.org_id = v_org and h0.health_score is not null
                 and h0.recorded_at > now() - interval '1 year'
               order by h0.recorded_at desc limit 60) h), '[]'::jsonb)
  );
end;
$$;

create or replace function app.brief_top_items(p_org_id uuid, p_profile_id uuid, p_today date)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select row_number() over (order by e.queue_lane, e.priority_score desc, e.id)::int,
         jsonb_build_object('kind', 'top_item', 'execution_id', e.id, 'customer_id', c.id, 'customer', c.name,
           'workflow', w.name, 'lane', app.queue_lane_name(e.queue_lane), 'stage', c.renewal_stage,
           'decision_date', c.decision_date, 'days_until_decision', c.decision_date - p_today,
           'arr', c.arr, 'priority_score', e.priority_score - 2 * app.assignee_workload(p_org_id, p_profile_id))
    from (select e.* from app.workflow_executions e
           where e.org_id = p_org_id and e.assigned_to = p_profile_id and e.status in ('queued', 'in_progress')
           order by e.queue_lane, e.priority_score desc, e.id limit 5) e
    join app.customers c on c.id = e.customer_id and c.org_id = e.org_id
    join app.workflows w on w.id = e.workflow_id
$$;

-- Rows written before this release: scores without the workload term, cards without the
-- score, kept statistics rendered again when next read (or by the job).
select app.refresh_priorities(array(
  select e.id from app.workflow_executions e where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')));
select app.queue_cards_write(array(
  select e.id from app.workflow_executions e
   where e.status in ('queued', 'in_progress', 'snoozed', 'escalated') order by e.id));
update app.queue_stats s set rendered = null, rendered_for = null where s.rendered_for is not null;
