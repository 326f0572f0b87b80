-- An action's counts are whole numbers when it is proposed, as when it runs
-- (docs/business-rules.md "Actions").
--
-- What and why: migration 20261206213000 made a snooze's `days` and a meeting's
-- `duration_minutes` whole numbers written as one (7, not 7.0) when an action runs. A
-- proposal checked only the params' names and text types, so propose_action (the
-- assistant's tool and MCP's) accepted {"days": 7.0}, and the CSM's Approve then failed
-- with 22023. app.require_action_params, which both execute_action and propose_action ask,
-- now refuses such a count when the proposal is made, naming it, so the assistant reads the
-- refusal and proposes again. Restated whole from 20261206202000; only that check is new.

create or replace function app.require_action_params(action_type text, params jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_names constant text[] := app.action_param_names(require_action_params.action_type);
  v_count text;
begin
  if v_names is null then
    return;
  end if;
  perform app.require_params_of(require_action_params.params, v_names,
                                format('the %s action', replace(require_action_params.action_type, '_', ' ')));
  perform app.require_text_params(require_action_params.params,
    array['reason', 'note', 'step_key', 'level', 'title', 'description', 'task_type', 'priority',
          'subject', 'scheduled_at', 'due_date', 'artifact_id', 'assigned_to'], 'params');
  if jsonb_typeof(require_action_params.params -> 'attendees') not in ('array', 'null')
     or exists (select 1 from jsonb_array_elements(case when jsonb_typeof(require_action_params.params -> 'attendees') = 'array'
                                                        then require_action_params.params -> 'attendees' end) a
                 where jsonb_typeof(a) <> 'string') then
    raise exception 'params.attendees must be a list of email addresses' using errcode = '22023';
  end if;
  if jsonb_typeof(require_action_params.params -> 'resend') not in ('boolean', 'null') then
    raise exception 'params.resend must be true or false' using errcode = '22023';
  end if;
  -- The counts are whole numbers written as one (app.is_whole_number), as running the
  -- action requires: a proposal with 7.0 days is refused when it is made, not on approval.
  select k into v_count from unnest(array['days', 'duration_minutes']) k
   where require_action_params.params ? k and not app.is_whole_number(require_action_params.params -> k)
   order by k limit 1;
  if v_count is not null then
    raise exception 'params.% must be a whole number', v_count using errcode = '22023',
      hint = 'Send e.g. 7, not 7.0 or "7".';
  end if;
end;
$$;

