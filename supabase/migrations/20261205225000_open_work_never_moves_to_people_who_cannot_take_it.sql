-- Open work never moves to a person who cannot take it (docs/business-rules.md "Tasks",
-- docs/customer-intelligence.md "What a customer.upserted does to open work").
--
-- What and why: an attacker's review sent a signed `customer.upserted` naming a viewer as a
-- customer's CSM (csm_email). The ingest accepted it (app.ingest_check_events checks only
-- that the address belongs to the organisation) and app.customers_keep_priorities_current,
-- which moves a reassigned customer's open work to its new CSM, handed three open
-- workflows, a Critical renewal among them, to a viewer who may not start them. The same
-- event naming a deactivated person handed the work to someone who can no longer sign in.
-- New work already skipped such people (migration 20261205193000: it opens unassigned);
-- work that MOVED with its customer did not.
--
-- The rule chosen: the CRM stays the source of truth for who owns the account, so the
-- customer keeps the owner it names (the event is applied, not refused: a CRM still
-- listing a leaver must not block every later sync of usage, health and ARR). But open
-- work follows the customer's new CSM only when that person can take work (an active
-- CSM, manager or admin); otherwise it goes unassigned, for a manager to hand out, exactly
-- as new work for such a person opens. When the CRM later names someone who can take
-- work, the unassigned work moves to them (the trigger moves work held by the previous CSM
-- or by nobody).
--
-- Fix for the class, where every path meets:
--   * app.customers_keep_priorities_current (the customers' statement trigger; every path
--     that changes a customer's assignee goes through it: the ingest, any RPC or job that
--     assigns customers, a bulk UPDATE) moves open work to the new CSM only if they can
--     take work, else leaves it unassigned. Body otherwise as in migration 20261205140000.
--   * a backstop on the executions themselves: app.executions_go_to_people_who_can_take_them,
--     before any change of an open execution's assignee. A person (signed in) who names
--     someone who cannot take work is refused with 22023 (app.require_person_who_can_take_work,
--     as reassign_workflow and resolve_escalation already refuse); a job with nobody signed
--     in that would move work to such a person leaves it unassigned instead, as new work
--     opens. The older app.refuse_assignment_to_deactivated trigger (deactivated people
--     only, signed-in people only) stays; this one covers viewers and jobs too.
-- Who can take work is said once: app.can_take_work (the same test the insert trigger
-- app.unassign_new_work_of_people_who_cannot_take_it and app.require_person_who_can_take_work
-- apply).

create or replace function app.can_take_work(org_id uuid, person_id uuid)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  return exists (select 1 from app.profiles p
                  where p.id = can_take_work.person_id and p.org_id = can_take_work.org_id
                    and p.deactivated_at is null and p.role in ('csm', 'manager', 'admin'));
end;
$$;
comment on function app.can_take_work(uuid, uuid) is
  'True when the person is an active CSM, manager or admin of the organisation: someone open work may go to (docs/business-rules.md "Tasks").';
revoke execute on function app.can_take_work(uuid, uuid) from public, anon;
grant execute on function app.can_take_work(uuid, uuid) to authenticated, service_role;

create or replace function app.customers_keep_priorities_current()
returns trigger
language plpgsql
security definer -- moves executions of a reassigned customer; the customer write was allowed by RLS
set search_path = ''
set jit = off -- for this trigger and every statement it sets off (migration 20261205140000)
as $$
declare
  changed_ids uuid[];
  moved_ids uuid[];     -- customers whose CSM changed, with their organisation,
  moved_orgs uuid[];    -- their new CSM and the previous one (same positions)
  new_csms uuid[];
  previous_csms uuid[];
begin
  -- Reassignment first: the executions trigger then re-scores moved rows and both workloads.
  -- The customers whose CSM changed are found in the transition tables alone (dynamic SQL:
  -- planned for this statement's row count). Only then are executions read, and only theirs.
  execute $q$
    select array_agg(n.id), array_agg(n.org_id), array_agg(n.assigned_to), array_agg(o.assigned_to)
      from new_rows n
      join old_rows o on o.id = n.id
     where o.assigned_to is distinct from n.assigned_to
  $q$ into moved_ids, moved_orgs, new_csms, previous_csms;
  if moved_ids is not null then
    -- Open work follows the new CSM only when they can take work (app.can_take_work);
    -- for a viewer, a deactivated person or nobody it goes unassigned, for a manager to
    -- hand out (the customer keeps the owner it was given).
    update app.workflow_executions e
       set assigned_to = m.taker
      from (select u.id, u.org_id, u.previous,
                   case when u.csm is not null and app.can_take_work(u.org_id, u.csm) then u.csm end as taker
              from unnest(moved_ids, moved_orgs, new_csms, previous_csms) as u(id, org_id, csm, previous)) m
     where e.customer_id = m.id
       and e.org_id = m.org_id
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and (e.assigned_to is null or e.assigned_to = m.previous)
       and e.assigned_to is distinct from m.taker;
  end if;

  -- Set differences, not a join of the transition tables: linear whatever the plan.
  -- A customer whose only change is the stored stage re-scores only its open renewals
  -- scored with another stage (migration 20261205140000).
  with inputs_changed as (
    select n.id, n.arr, n.health_score, n.account_plan, n.renewal_date,
           n.decision_date, n.risk_score, n.opportunity_score, n.name, n.domain
      from new_rows n
    except
    select o.id, o.arr, o.health_score, o.account_plan, o.renewal_date,
           o.decision_date, o.risk_score, o.opportunity_score, o.name, o.domain
      from old_rows o
  ), stage_changed as (
    select n.id, n.renewal_stage from new_rows n
    except
    select o.id, o.renewal_stage from old_rows o
  ), stage_only as (
    select s.id, s.renewal_stage from stage_changed s where s.id not in (select i.id from inputs_changed i)
  )
  select array_agg(x.id) into changed_ids
    from (select e.id
            from inputs_changed i
            join app.workflow_executions e on e.customer_id = i.id
           where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          union all
          select e.id
            from stage_only s
            join app.workflow_executions e on e.customer_id = s.id
           where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
             and e.workflow_id = any(array(select w.id from app.workflows w where w.workflow_type = 'renewal'))
             and e.priority_factors ->> 'renewal_stage' is distinct from coalesce(s.renewal_stage, e.renewal_stage)) x;
  perform app.refresh_priorities(changed_ids);
  return null;
end;
$$;

-- The backstop on the executions: whatever path changes an open execution's assignee, it
-- never lands on someone who cannot take work. A person is told (22023); a job with
-- nobody signed in leaves the work unassigned, as new work for such a person opens.
create or replace function app.executions_go_to_people_who_can_take_them()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if app.can_take_work(new.org_id, new.assigned_to) then
    return new;
  end if;
  if (select auth.uid()) is not null then
    perform app.require_person_who_can_take_work(new.org_id, new.assigned_to, 'assignee_id');
    -- (raises for anyone app.can_take_work refuses; kept as a guard should the two differ)
    raise exception 'assignee_id cannot take work' using errcode = '22023';
  end if;
  -- Someone of no profile in this organisation is not a member who cannot take work but
  -- a wrong reference: the organisation's key refuses it (23503), never silently dropped.
  if not exists (select 1 from app.profiles p where p.id = new.assigned_to and p.org_id = new.org_id) then
    return new;
  end if;
  new.assigned_to := null;
  return new;
end;
$$;
comment on function app.executions_go_to_people_who_can_take_them() is
  'Trigger: an open workflow''s new assignee must be able to take work: 22023 for a person, unassigned for a job.';
revoke execute on function app.executions_go_to_people_who_can_take_them() from public, anon;

create trigger workflow_executions_go_to_people_who_can_take_them
  before update of assigned_to on app.workflow_executions
  for each row
  when (new.assigned_to is not null and new.assigned_to is distinct from old.assigned_to
        and new.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
  execute function app.executions_go_to_people_who_can_take_them();

-- Work already handed to someone who cannot take it by the path above, before this fix,
-- goes back to the team: open executions held by a viewer (nobody may assign a viewer
-- work) are unassigned. Work held by a deactivated person stays with them, as it always
-- has after a deactivation, for the admin's hand-over (docs/admin.md).
update app.workflow_executions e
   set assigned_to = null
  from app.profiles p
 where p.id = e.assigned_to and p.org_id = e.org_id and p.role = 'viewer'
   and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');

-- A person made a viewer keeps no open work: their open workflows go unassigned, for a
-- manager to hand out (the team page lists unassigned work), as the data fix above did for
-- viewers already holding some. A viewer can start nothing, and work left assigned to them
-- would be out of every CSM's reach. (A deactivation keeps the work with the person for the
-- admin's hand-over, docs/admin.md.) The assignee's workload lock first, as the lifecycle
-- RPCs take it, then the rows.
create or replace function app.profiles_made_viewers_hand_back_open_work()
returns trigger
language plpgsql
security definer -- an admin changes the role; the workflows are the team's, not the admin's to update row by row under RLS
set search_path = ''
as $$
begin
  perform app.lock_assignee_workload(new.id);
  update app.workflow_executions e
     set assigned_to = null
   where e.org_id = new.org_id and e.assigned_to = new.id
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  return null;
end;
$$;
comment on function app.profiles_made_viewers_hand_back_open_work() is
  'Trigger: someone made a viewer hands their open workflows back to the team (unassigned).';
revoke execute on function app.profiles_made_viewers_hand_back_open_work() from public, anon, authenticated;

create trigger profiles_made_viewers_hand_back_open_work
  after update of role on app.profiles
  for each row
  when (new.role = 'viewer' and old.role is distinct from 'viewer')
  execute function app.profiles_made_viewers_hand_back_open_work();
