-- A routing branch's default params are fitted to the limits its action applies, read from
-- the one place that works them out (docs/branches-and-proposals.md "Routing branches").
--
-- What and why: app.branch_defaults_within_limits (20261206206000) computed a snooze's days
-- and the choices an escalation, meeting, task or skip offers from the action's config
-- alone, with 1..30 days and empty lists as its own fallbacks. app.action_limits
-- (20261206340000) is where those limits are defined for the action functions, proposals
-- and workflow definitions. A stored config always has every key of its type, so the
-- answers are the same; the rule is now written once, and a branch's defaults can never be
-- fitted to other limits than the ones its action will apply.
-- Restated whole from 20261206206000; only the source of the limits changed.
-- supabase/tests/choose_chat_branch/defaults_follow_narrowed_action_limits.test.sql.
create or replace function app.branch_defaults_within_limits(b app.workflow_chat_branches, org_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_defaults constant jsonb := coalesce(b.config -> 'defaults', '{}'::jsonb);
  a app.saved_actions;
  v_limits jsonb;
begin
  if b.branch_type <> 'saved_action' or v_defaults = '{}'::jsonb then
    return v_defaults;
  end if;
  a := app.available_action(b.saved_action_key, branch_defaults_within_limits.org_id);
  v_limits := app.action_limits(a.action_type, a.config, branch_defaults_within_limits.org_id);
  return coalesce((
    select jsonb_object_agg(d.key, case
             when a.action_type = 'snooze' and d.key = 'days' and jsonb_typeof(d.value) = 'number' then
               to_jsonb(least(greatest((d.value #>> '{}')::numeric, (v_limits ->> 'min_days')::numeric),
                              (v_limits ->> 'max_days')::numeric))
             else d.value end)
      from jsonb_each(v_defaults) d
     where case
             when a.action_type = 'escalate' and d.key = 'level' then (v_limits -> 'levels') @> jsonb_build_array(d.value)
             when a.action_type = 'schedule_meeting' and d.key = 'duration_minutes' then
               (v_limits -> 'durations_minutes') @> jsonb_build_array(d.value)
             when a.action_type = 'create_task' and d.key = 'priority' then (v_limits -> 'priorities') @> jsonb_build_array(d.value)
             when a.action_type = 'skip' and d.key = 'reason' then (v_limits -> 'reasons') @> jsonb_build_array(d.value)
             else true
           end), '{}'::jsonb);
end;
$$;
