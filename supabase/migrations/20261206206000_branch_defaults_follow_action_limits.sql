-- A workflow branch's defaults follow the action's limits as they are now
-- (docs/branches-and-proposals.md "Defaults and limits").
--
-- What and why: an attacker's review narrowed the organisation's snooze limits to 1-5 days
-- (and its skip reasons and meeting lengths) while the core catalogue's branches default to
-- 7, 14 and 30 days, 45 minutes and reasons no longer offered. The settings were saved, and
-- from then on those branches failed for every CSM (execute_action: "days must be between 1
-- and 5"), their forms opening with a value they could not send. Refusing the narrower
-- limits instead would make nearly every limit an admin wants (a snooze of at most 10 days,
-- meetings of 20 or 50 minutes) impossible without first overriding the core workflows
-- that use another value. The limits are the admin's word, so a branch's defaults now
-- follow them when the branch runs (app.branch_defaults_within_limits): a snooze is clamped
-- into the allowed days, and a level, meeting length, priority or skip reason no longer
-- offered is left out, so the action's own default applies (or, for a skip, the CSM picks
-- a reason). The web form opens with the same values (actionForms.ts `withinLimits`). The
-- workflow editor still checks a definition's defaults against the limits when it is
-- saved: whoever edits it then sees what changed.

create or replace function app.branch_defaults_within_limits(b app.workflow_chat_branches, org_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_defaults constant jsonb := coalesce(b.config -> 'defaults', '{}'::jsonb);
  a app.saved_actions;
begin
  if b.branch_type <> 'saved_action' or v_defaults = '{}'::jsonb then
    return v_defaults;
  end if;
  a := app.available_action(b.saved_action_key, branch_defaults_within_limits.org_id);
  return coalesce((
    select jsonb_object_agg(d.key, case
             when a.action_type = 'snooze' and d.key = 'days' and jsonb_typeof(d.value) = 'number' then
               to_jsonb(least(greatest((d.value #>> '{}')::numeric, coalesce((a.config ->> 'min_days')::numeric, 1)),
                              coalesce((a.config ->> 'max_days')::numeric, 30)))
             else d.value end)
      from jsonb_each(v_defaults) d
     where case
             when a.action_type = 'escalate' and d.key = 'level' then coalesce(a.config -> 'levels', '[]'::jsonb) @> jsonb_build_array(d.value)
             when a.action_type = 'schedule_meeting' and d.key = 'duration_minutes' then
               coalesce(a.config -> 'durations_minutes', '[]'::jsonb) @> jsonb_build_array(d.value)
             when a.action_type = 'create_task' and d.key = 'priority' then coalesce(a.config -> 'priorities', '[]'::jsonb) @> jsonb_build_array(d.value)
             when a.action_type = 'skip' and d.key = 'reason' then coalesce(a.config -> 'reasons', '[]'::jsonb) @> jsonb_build_array(d.value)
             else true
           end), '{}'::jsonb);
end;
$$;
comment on function app.branch_defaults_within_limits(app.workflow_chat_branches, uuid) is
  'A branch''s default params under its action''s current limits: a snooze clamped into its days, a choice no longer offered left out.';
revoke execute on function app.branch_defaults_within_limits(app.workflow_chat_branches, uuid) from public, anon;
grant execute on function app.branch_defaults_within_limits(app.workflow_chat_branches, uuid) to authenticated, service_role;

-- Restated whole; the defaults are fitted to the limits before the caller's params go on top.
create or replace function public.choose_chat_branch(
  execution_id uuid,
  step_key text,
  branch_key text,
  params jsonb default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  e app.workflow_executions;
  b app.workflow_chat_branches;
  v_params jsonb;
  v_outcome jsonb;
  v_action jsonb;
  v_followed record;  -- (action, route)
begin
  if coalesce(btrim(choose_chat_branch.step_key), '') = '' or coalesce(btrim(choose_chat_branch.branch_key), '') = '' then
    raise exception 'step_key and branch_key are required' using errcode = '22023',
      hint = 'Pass the step shown and the key of the branch chosen (get_workflow_execution lists them).';
  end if;
  if choose_chat_branch.params is not null and jsonb_typeof(choose_chat_branch.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(choose_chat_branch.execution_id, 'work on');
  b := app.routing_branch(e, choose_chat_branch.step_key, choose_chat_branch.branch_key);
  v_params := app.branch_defaults_within_limits(b, e.org_id) || coalesce(choose_chat_branch.params, '{}'::jsonb);

  -- A replayed confirmation: the action's stored result, nothing applied or routed again.
  if b.branch_type = 'saved_action' and choose_chat_branch.idempotency_key is not null and exists (
       select 1 from app.action_executions x
        where x.org_id = e.org_id and x.executed_by = (select auth.uid())
          and x.idempotency_key = choose_chat_branch.idempotency_key) then
    v_action := public.execute_action(b.saved_action_key, e.id, v_params, choose_chat_branch.idempotency_key);
    return jsonb_build_object('branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
      'step_key', b.step_key, 'action', v_action, 'route', null, 'replayed', true,
      'execution', app.execution_summary(e.id));
  end if;

  perform app.lock_current_step_for_branch(e, b.step_key);
  v_outcome := jsonb_build_object('branch_key', b.branch_key, 'branch_type', b.branch_type);
  if b.branch_type = 'fixed' then
    select null::jsonb as action, app.follow_fixed_branch(e, b, v_outcome) as route into v_followed;
  else
    select * into v_followed from app.follow_saved_action_branch(e, b, v_params, choose_chat_branch.idempotency_key, v_outcome);
  end if;

  return jsonb_build_object(
    'branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
    'step_key', b.step_key,
    'response_text', b.response_text,
    'action', v_followed.action,
    'route', v_followed.route,
    'replayed', false,
    'execution', app.execution_summary(e.id));
end;
$$;
