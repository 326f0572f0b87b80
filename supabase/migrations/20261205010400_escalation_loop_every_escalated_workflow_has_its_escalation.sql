-- Every escalated workflow has its open escalation row, however it became escalated.
--
-- Why: list_escalations, the team overview and the decisions read app.workflow_escalations,
-- but executions can be written escalated without execute_action: the scale seed inserts
-- 2 % of its executions escalated (with the escalation in metadata.history), imports and
-- restores may do the same. A trigger on insert and on a status change to `escalated`
-- opens the row from the execution's metadata (the last metadata.escalations entry, else
-- the last `escalated` history event) when none is open, so such workflows are in the
-- inbox and can be withdrawn or decided. app.action_escalate (20261205010100) now writes
-- its row before the status, so the trigger finds it and adds nothing.

create or replace function app.executions_open_their_escalation()
returns trigger
language plpgsql
security definer -- records the escalation of a workflow written escalated by anyone (seeds, imports)
set search_path = ''
as $$
declare
  v_entry jsonb;
begin
  if exists (select 1 from app.workflow_escalations x where x.execution_id = new.id and x.status = 'open') then
    return null;
  end if;
  v_entry := coalesce(
    new.metadata -> 'escalations' -> -1,
    (select h.entry from jsonb_array_elements(coalesce(new.metadata -> 'history', '[]'::jsonb)) with ordinality as h(entry, n)
      where h.entry ->> 'event' = 'escalated' order by h.n desc limit 1),
    '{}'::jsonb);
  insert into app.workflow_escalations (org_id, execution_id, level, reason, escalated_by, assignee_id, manager_id,
                                        from_status, created_at)
  values (new.org_id, new.id, coalesce(v_entry ->> 'level', 'manager'),
          coalesce(nullif(btrim(v_entry ->> 'reason'), ''), 'Escalated'),
          case when (v_entry ->> 'by') ~ '^[0-9a-f-]{36}$' then (v_entry ->> 'by')::uuid end,
          new.assigned_to,
          coalesce((select p.id from app.profiles p
                     where p.org_id = new.org_id and (v_entry ->> 'manager_id') ~ '^[0-9a-f-]{36}$'
                       and p.id = (v_entry ->> 'manager_id')::uuid),
                   (select p.manager_id from app.profiles p where p.id = new.assigned_to and p.org_id = new.org_id)),
          case when v_entry ->> 'from_status' in ('queued', 'in_progress') then v_entry ->> 'from_status'
               when new.started_at is null then 'queued' else 'in_progress' end,
          coalesce(case when (v_entry ->> 'at') ~ '^\d{4}-' then (v_entry ->> 'at')::timestamptz end, now()))
  on conflict do nothing;
  return null;
end;
$$;
revoke execute on function app.executions_open_their_escalation() from public, anon;

create trigger workflow_executions_open_their_escalation_on_insert
  after insert on app.workflow_executions
  for each row when (new.status = 'escalated')
  execute function app.executions_open_their_escalation();
create trigger workflow_executions_open_their_escalation_on_update
  after update of status on app.workflow_executions
  for each row when (new.status = 'escalated' and old.status is distinct from 'escalated')
  execute function app.executions_open_their_escalation();

-- app.action_escalate of 20261205010100, the escalation row now written before the status.
create or replace function app.action_escalate(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_levels jsonb := coalesce(a.config -> 'levels', '["manager", "vp_cs", "ceo"]'::jsonb);
  v_level text := coalesce(params ->> 'level', a.config ->> 'default_level', 'manager');
  v_reason text := nullif(btrim(params ->> 'reason'), '');
  v_assignee uuid;
  v_manager uuid;
  v_customer_name text;
  v_workflow_name text;
  v_id uuid;
  v_effects jsonb;
begin
  if not (v_levels ? v_level) then
    raise exception 'level must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_levels) r)
      using errcode = '22023';
  end if;
  if v_reason is null then
    raise exception 'reason is required to escalate a workflow' using errcode = '22023';
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  v_assignee := coalesce(e.assigned_to, v_me);
  select p.manager_id into v_manager from app.profiles p where p.id = v_assignee;
  -- The escalation row first: the status trigger below then finds it and adds none.
  insert into app.workflow_escalations (org_id, execution_id, level, reason, escalated_by, assignee_id, manager_id,
                                        from_status, from_snoozed_until, action_execution_id)
  values (e.org_id, e.id, v_level, v_reason, v_me, v_assignee, v_manager, e.status, e.snoozed_until, log_id);
  update app.workflow_executions x
     set status = 'escalated',
         snoozed_until = null,
         metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'escalated', 'level', v_level, 'reason', v_reason, 'from_status', e.status))
                    || jsonb_build_object('escalations', coalesce(x.metadata -> 'escalations', '[]'::jsonb) || jsonb_build_array(
                      jsonb_strip_nulls(jsonb_build_object('level', v_level, 'reason', v_reason, 'by', v_me, 'at', now(),
                                         'manager_id', v_manager, 'from_status', e.status, 'snoozed_until', e.snoozed_until))))
   where x.id = e.id;
  if v_manager is not null then
    -- The id is made here: RLS lets the caller write the manager's notification but not read it back.
    v_id := gen_random_uuid();
    insert into app.notifications (id, org_id, user_id, notification_type, title, body, data)
    values (v_id, e.org_id, v_manager, 'escalation',
            'Escalated to you: ' || v_workflow_name || ' for ' || v_customer_name,
            v_reason,
            jsonb_build_object('execution_id', e.id, 'level', v_level, 'escalated_by', v_me, 'assignee_id', v_assignee));
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'delivered', 'recipient_id', v_manager, 'notification_id', v_id,
      'attempts', 1, 'error', null, 'updated_at', now()));
  else
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'skipped', 'recipient_id', null, 'attempts', 0,
      'error', 'The assignee has no manager to notify', 'updated_at', now()));
  end if;
  return jsonb_build_object(
    'params', params || jsonb_build_object('level', v_level),
    'result', jsonb_build_object('level', v_level, 'reason', v_reason, 'manager_id', v_manager, 'notification_id', v_id),
    'side_effects', v_effects);
end;
$$;

