-- The escalation loop's data: an escalation is a row of its own, and every notification
-- type the product emits is known (docs/escalation-loop.md "Escalation, hand-back and reassignment").
--
-- Why a table: an escalation is opened by the assignee, waits for a decision, and is
-- settled by a withdrawal or a manager's decision (return, reassign, close). The inbox
-- (list_escalations) and the team overview read open escalations of a whole organisation,
-- and a decision must find "the" open escalation of an execution under a lock. A JSON
-- array in the execution's metadata can answer none of that with an index. The execution's
-- metadata keeps its history (metadata.history and metadata.escalations, as before): the
-- table is the working state, the history is the audit.
--
--           escalate (execute_action)                 withdraw_escalation (its assignee)
--   open ◄──────────────────────────────     open ───────────────────────────────► withdrawn
--                                            open ── resolve_escalation: return ──► returned
--                                            open ── resolve_escalation: reassign ► reassigned
--                                            open ── resolve_escalation: close ───► closed
--
-- At most one open escalation per execution (a unique partial index), and an execution
-- is `escalated` exactly while it has one.
--
-- Notification types: `escalation_resolved` (a decision or a withdrawal) and `proposal`
-- (an AI proposal awaits a decision; emitted by the proposals work) join the known types,
-- so no other migration needs to widen this constraint again.

alter table app.notifications drop constraint notifications_type_is_known;
alter table app.notifications add constraint notifications_type_is_known check (notification_type in (
  'escalation', 'escalation_resolved', 'task_assigned', 'task_reassigned', 'task_due', 'task_force_action',
  'workflow_assigned', 'workflow_woken', 'mention', 'proposal', 'system'
));

create table app.workflow_escalations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  level text not null default 'manager',
  reason text not null,
  -- Who escalated, whose workflow it was, and which manager was told. People who later
  -- leave keep their escalations readable (set null), as on executions.
  escalated_by uuid,
  assignee_id uuid,
  manager_id uuid,
  -- Where the execution returns on `return` or a withdrawal.
  from_status text not null,
  from_snoozed_until timestamptz,
  action_execution_id uuid,
  status text not null default 'open',
  resolved_by uuid,
  resolved_at timestamptz,
  resolution_note text,
  reassigned_to uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_escalations_status_is_known check (status in ('open', 'withdrawn', 'returned', 'reassigned', 'closed')),
  constraint workflow_escalations_from_status_is_open check (from_status in ('queued', 'in_progress', 'snoozed')),
  constraint workflow_escalations_reason_is_not_blank check (btrim(reason) <> ''),
  constraint workflow_escalations_settled_is_dated check ((status = 'open') = (resolved_at is null)),
  constraint workflow_escalations_settled_has_a_note check (status = 'open' or btrim(resolution_note) <> ''),
  constraint workflow_escalations_reassign_names_the_new_assignee check ((status = 'reassigned') = (reassigned_to is not null)),
  constraint workflow_escalations_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint workflow_escalations_assignee_is_in_organisation foreign key (org_id, assignee_id)
    references app.profiles (org_id, id) on delete set null (assignee_id),
  constraint workflow_escalations_manager_is_in_organisation foreign key (org_id, manager_id)
    references app.profiles (org_id, id) on delete set null (manager_id)
);
comment on table app.workflow_escalations is
  'One escalation of a workflow: open until its assignee withdraws it or a manager decides (return, reassign, close).';
create unique index workflow_escalations_one_open_per_execution
  on app.workflow_escalations (execution_id) where status = 'open';
create index workflow_escalations_execution_id_idx on app.workflow_escalations (execution_id, org_id, created_at desc);
-- The inbox: an organisation's escalations by status, oldest waiting first.
create index workflow_escalations_org_id_status_idx on app.workflow_escalations (org_id, status, created_at);
create index workflow_escalations_assignee_idx on app.workflow_escalations (org_id, assignee_id);
create index workflow_escalations_manager_idx on app.workflow_escalations (org_id, manager_id, status);

create trigger workflow_escalations_touch_updated_at before update on app.workflow_escalations
  for each row execute function app.touch_updated_at();

alter table app.workflow_escalations enable row level security;

create policy "Members can read their organisation's escalations"
  on app.workflow_escalations for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Whoever may work on a workflow can escalate it"
  on app.workflow_escalations for insert to authenticated
  with check (org_id = (select app.current_org_id()) and escalated_by = (select auth.uid())
              and app.can_work_on_execution(execution_id));

create policy "Its assignee, managers and admins can settle an escalation"
  on app.workflow_escalations for update to authenticated
  using (org_id = (select app.current_org_id())
         and ((select app.has_role('manager', 'admin')) or assignee_id = (select auth.uid())))
  with check (org_id = (select app.current_org_id())
              and ((select app.has_role('manager', 'admin')) or assignee_id = (select auth.uid())));

grant select, insert, update on app.workflow_escalations to authenticated;
grant select, insert, update, delete on app.workflow_escalations to service_role;

-- Executions escalated before this table existed get their open row from their history.
insert into app.workflow_escalations (org_id, execution_id, level, reason, escalated_by, assignee_id, manager_id,
                                      from_status, created_at)
select e.org_id, e.id, coalesce(last.entry ->> 'level', 'manager'), coalesce(nullif(btrim(last.entry ->> 'reason'), ''), 'Escalated'),
       case when (last.entry ->> 'by') ~ '^[0-9a-f-]{36}$' then (last.entry ->> 'by')::uuid end,
       e.assigned_to,
       (select p.id from app.profiles p
         where p.org_id = e.org_id and (last.entry ->> 'manager_id') ~ '^[0-9a-f-]{36}$'
           and p.id = (last.entry ->> 'manager_id')::uuid),
       case when last.entry ->> 'from_status' in ('queued', 'in_progress') then last.entry ->> 'from_status'
            when e.started_at is null then 'queued' else 'in_progress' end,
       coalesce((last.entry ->> 'at')::timestamptz, e.updated_at)
  from app.workflow_executions e
  left join lateral (select e.metadata -> 'escalations' -> -1 as entry) last on true
 where e.status = 'escalated'
on conflict do nothing;
