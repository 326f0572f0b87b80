-- A proposal waits only while its workflow is open: one on a workflow that closed
-- (completed, skipped, cancelled, or superseded by the orchestrator's next stage) reads
-- expired, is no longer listed as waiting nor told in the brief, and the hourly job marks it
-- (docs/branches-and-proposals.md "AI proposals").
--
-- What a person saw before: an assistant's or agent's proposal ("Snooze 7 days") made on a
-- renewal that was then completed, or superseded overnight by its next stage, stayed on the
-- person's list of waiting proposals and in the morning brief ("1 proposal waiting") until
-- its seven days ran out, and Approve answered PT409 "the workflow is closed". It asked for
-- a decision nobody could take.
--
-- The rule is one function, app.proposal_waits: undecided, before its date, on a workflow
-- in an open status (app.is_open_status; snoozed and escalated workflows are still open, and
-- their proposals wait for them). Restated whole from their latest definitions, each with
-- only that rule changed: public.list_proposals (20261204000600), app.proposal_json
-- (20261206211000), app.brief_proposals_waiting (20261204000800; it also now leaves out a
-- proposal past its date that the job has not marked yet) and app.expire_action_proposals
-- (20261204000600). supabase/tests/list_proposals/a_closed_workflows_proposals_wait_for_nobody.test.sql.

-- Whether an undecided proposal still waits for a decision: before its date, on a workflow
-- that is open. workflow_status is its workflow's status (the caller has the row at hand).
create function app.proposal_waits(p app.action_proposals, workflow_status text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  return p.status = 'proposed' and p.expires_at > now() and app.is_open_status(workflow_status);
end;
$$;
revoke execute on function app.proposal_waits(app.action_proposals, text) from public, anon;
grant execute on function app.proposal_waits(app.action_proposals, text) to authenticated, service_role;

create or replace function public.list_proposals(status text default 'proposed', execution_id uuid default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_role text := app.current_member_role();
begin
  if list_proposals.status is null or list_proposals.status not in ('proposed', 'approved', 'rejected', 'expired', 'all') then
    raise exception 'status must be proposed, approved, rejected, expired or all' using errcode = '22023';
  end if;
  if app.current_org_id() is null then
    raise exception 'You are not a member of an organisation' using errcode = '42501';
  end if;
  if list_proposals.execution_id is not null
     and not exists (select 1 from app.workflow_executions x where x.id = list_proposals.execution_id) then
    raise exception 'Workflow execution not found' using errcode = 'PT404';
  end if;
  return coalesce((
    select jsonb_agg(j order by (j ->> 'created_at')::timestamptz desc)
      from (
        select app.proposal_json(p) as j
          from app.action_proposals p
          join app.workflow_executions e on e.id = p.execution_id
         where (list_proposals.execution_id is null or p.execution_id = list_proposals.execution_id)
           -- Without a workflow: the caller's own (assigned to them or proposed for them);
           -- managers and admins see their organisation's.
           and (list_proposals.execution_id is not null or v_role in ('manager', 'admin')
                or e.assigned_to = v_me or p.proposed_for = v_me)
           and (list_proposals.status = 'all'
                or (list_proposals.status = 'proposed' and app.proposal_waits(p, e.status))
                or (list_proposals.status = 'expired' and (p.status = 'expired' or (p.status = 'proposed' and not app.proposal_waits(p, e.status))))
                or (list_proposals.status in ('approved', 'rejected') and p.status = list_proposals.status))
         order by p.created_at desc
         limit 200
      ) rows_), '[]'::jsonb);
end;
$$;
comment on function public.list_proposals(text, uuid) is
  'AI proposals visible to the caller, newest first: of one workflow, or (without one) those awaiting the caller; managers see the organisation''s. '
  'A proposal waits only while its workflow is open; one on a closed workflow reads expired.';

create or replace function app.proposal_json(p app.action_proposals)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'id', p.id,
    'execution_id', p.execution_id,
    'action_key', p.action_key,
    'action_name', (select s.name from app.saved_actions s
                     where s.key = p.action_key and (s.org_id = p.org_id or s.org_id is null)
                     order by s.org_id nulls last limit 1),
    'params', p.params,
    'rationale', p.rationale,
    'source', jsonb_build_object('kind', p.source, 'thread_id', p.thread_id, 'message_id', p.message_id, 'ref', p.source_ref),
    'proposed_for', p.proposed_for,
    -- An undecided proposal past its date, or on a workflow that closed, is expired even
    -- before the hourly job marks it.
    'status', case when p.status = 'proposed'
                        and not app.proposal_waits(p, (select e.status from app.workflow_executions e where e.id = p.execution_id))
                   then 'expired' else p.status end,
    'expires_at', p.expires_at,
    'decided_by', p.decided_by,
    'decided_at', p.decided_at,
    'decided_params', p.decided_params,
    'action_execution_id', p.action_execution_id,
    'action', (select jsonb_build_object('success', x.success, 'result', x.result, 'side_effects', x.side_effects)
                 from app.action_executions x where x.id = p.action_execution_id),
    'customer', (select jsonb_build_object('id', c.id, 'name', c.name)
                   from app.workflow_executions e join app.customers c on c.id = e.customer_id where e.id = p.execution_id),
    'workflow_name', (select w.name from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
                       where e.id = p.execution_id),
    'created_at', p.created_at);
end;
$$;

create or replace function app.brief_proposals_waiting(p_org_id uuid, p_profile_id uuid)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by p.created_at)::int as rank_in_kind,
           jsonb_build_object('kind', 'proposal_waiting', 'proposal_id', p.id, 'execution_id', p.execution_id,
             'customer_id', e.customer_id, 'customer', (select c.name from app.customers c where c.id = e.customer_id),
             'action_key', p.action_key, 'rationale', left(p.rationale, 300)) as fact
      from app.action_proposals p
      join app.workflow_executions e on e.id = p.execution_id and e.org_id = p.org_id
     where p.org_id = p_org_id and app.proposal_waits(p, e.status) and coalesce(e.assigned_to, p.proposed_for) = p_profile_id) f
   where f.rank_in_kind <= 5
$$;

create or replace function app.expire_action_proposals()
returns integer
language sql
volatile
set search_path = ''
as $$
  with expired as (
    update app.action_proposals p set status = 'expired'
      from app.workflow_executions e
     where e.id = p.execution_id and p.status = 'proposed' and not app.proposal_waits(p, e.status)
    returning 1)
  select count(*)::integer from expired
$$;
