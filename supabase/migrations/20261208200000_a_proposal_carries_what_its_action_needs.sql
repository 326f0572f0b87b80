-- A proposal carries what its action needs to run (docs/branches-and-proposals.md "AI
-- proposals").
--
-- What and why: propose_action checked a proposal's params by name and type
-- (app.require_action_params) and against the action's limits
-- (app.require_params_within_limits), but not that the action could run with them. The
-- chat model, the daily brief or an agent could propose an escalation or a snooze without
-- its reason, a skip without its reason, a meeting without a time (or at a time already
-- gone, or at "next Tuesday"), a task without a due date (or due "2026-13-45", of a type
-- that does not exist, for someone of another organisation) or an email without its draft
-- (or with an id that is no draft of the workflow). Each was stored and notified, and
-- refused only when the person pressed Approve: the model got no error it could correct,
-- and the person saw a card that could not run as made. Such a proposal is now refused
-- when made, 22023 naming the param, and nothing is stored or notified.
--
--   * app.require_params_to_run(action_type, config, execution, params): what the action's
--     function (app.action_snooze, action_escalate, action_skip, action_schedule_meeting,
--     action_create_task, action_send_email) refuses on its params alone, whatever the
--     workflow's state: the limits (app.require_params_within_limits, unchanged), then the
--     params it requires and the form of those it reads. What depends on the moment of
--     running (a draft approved or already sent, the workflow snoozed or not started) is
--     left to Approve: it may change before then.
--   * propose_action asks it instead of app.require_params_within_limits; restated whole
--     from 20261206340000, only that line changed.
--
-- The messages are the action functions' own with the param named as propose_action names
-- it ("params.reason"), as app.require_params_within_limits does.
-- supabase/tests/propose_action/a_proposal_that_could_not_run_is_refused.test.sql.

-- A param of text the action requires: present and not blank (app.trimmed).
create or replace function app.require_proposed_text(params jsonb, name text, what text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if app.trimmed(require_proposed_text.params ->> require_proposed_text.name) is null then
    raise exception 'params.% is required %', require_proposed_text.name, require_proposed_text.what using errcode = '22023';
  end if;
end;
$$;
comment on function app.require_proposed_text(jsonb, text, text) is
  'Refuses (22023, "params.<name> is required <what>") a proposal without a text param its action requires.';
revoke execute on function app.require_proposed_text(jsonb, text, text) from public, anon;
grant execute on function app.require_proposed_text(jsonb, text, text) to authenticated, service_role;

-- The params are ones the action can run with (see the top of this file): 22023 naming the
-- first that is missing or cannot be read. The types were checked by app.require_action_params.
create or replace function app.require_params_to_run(action_type text, config jsonb, execution app.workflow_executions, params jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_params constant jsonb := coalesce(require_params_to_run.params, '{}'::jsonb);
  v_when timestamptz;
  v_minutes integer;
  v_assignee uuid;
  v_draft uuid;
begin
  perform app.require_params_within_limits(require_params_to_run.action_type, require_params_to_run.config,
                                           require_params_to_run.execution.org_id, v_params);
  case require_params_to_run.action_type
    when 'snooze' then
      if coalesce((require_params_to_run.config ->> 'reason_required')::boolean, true) then
        perform app.require_proposed_text(v_params, 'reason', 'to snooze a workflow');
      end if;
    when 'escalate' then
      perform app.require_proposed_text(v_params, 'reason', 'to escalate a workflow');
    when 'skip' then
      -- A reason given is one of the list (app.require_params_within_limits); none is none of it.
      if v_params ->> 'reason' is null then
        raise exception 'params.reason is required: one of %',
          (select string_agg(r, ', ') from jsonb_array_elements_text(app.action_limits('skip', require_params_to_run.config,
             require_params_to_run.execution.org_id) -> 'reasons') r) using errcode = '22023';
      end if;
    when 'schedule_meeting' then
      v_when := app.timestamp_param(v_params, 'scheduled_at');
      if v_when is null then
        raise exception 'params.scheduled_at is required: the date and time of the meeting' using errcode = '22023';
      end if;
      v_minutes := coalesce((v_params ->> 'duration_minutes')::numeric::integer,
                            (require_params_to_run.config ->> 'default_duration_minutes')::integer, 30);
      if v_when + make_interval(mins => v_minutes) < now() then
        raise exception 'params.scheduled_at is in the past: a meeting is scheduled for a time to come' using errcode = '22023',
          hint = 'Propose a date and time from now on; a meeting that took place is logged as activity on the customer.';
      end if;
      if app.email_list(v_params -> 'attendees') is null then
        raise exception 'params.attendees must be a list of email addresses' using errcode = '22023';
      end if;
      perform app.require_text_within(app.trimmed(v_params ->> 'title'), 'params.title', app.title_limit());
    when 'create_task' then
      if app.timestamp_param(v_params, 'due_date') is null then
        raise exception 'params.due_date is required for a follow-up task' using errcode = '22023';
      end if;
      if v_params ->> 'task_type' is not null then
        perform app.require_task_type(v_params ->> 'task_type', 'params.task_type');
      end if;
      if v_params ? 'assigned_to' then
        v_assignee := app.uuid_param(v_params, 'assigned_to');
        if v_assignee is null or not exists (select 1 from app.profiles p
                                              where p.id = v_assignee and p.org_id = require_params_to_run.execution.org_id) then
          raise exception 'params.assigned_to must be a member of your organisation' using errcode = '22023';
        end if;
      end if;
      perform app.require_text_within(app.trimmed(v_params ->> 'title'), 'params.title', app.title_limit());
      perform app.require_text_within(app.trimmed(v_params ->> 'description'), 'params.description', 10000);
    when 'send_email' then
      v_draft := app.uuid_param(v_params, 'artifact_id');
      if v_draft is null then
        raise exception 'params.artifact_id is required: the id of the email draft to send' using errcode = '22023';
      end if;
      if not exists (select 1 from app.workflow_task_artifacts t
                      where t.id = v_draft and t.execution_id = require_params_to_run.execution.id
                        and t.artifact_type = 'email_draft') then
        raise exception 'params.artifact_id must be an email draft of this workflow' using errcode = '22023';
      end if;
    else
      null;  -- a custom action takes any params
  end case;
end;
$$;
comment on function app.require_params_to_run(text, jsonb, app.workflow_executions, jsonb) is
  'Refuses (22023, naming the param) a proposal''s params its action could not run with, whatever the workflow''s state: outside its limits, a required param missing, a date, address list, task type, assignee or draft that cannot be read.';
revoke execute on function app.require_params_to_run(text, jsonb, app.workflow_executions, jsonb) from public, anon;
grant execute on function app.require_params_to_run(text, jsonb, app.workflow_executions, jsonb) to authenticated, service_role;

create or replace function public.propose_action(action_key text, rationale text, params jsonb default '{}', execution_id uuid default null, thread_id uuid default null, message_id uuid default null, author_id uuid default null, source text default null, source_ref text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  e app.workflow_executions;
  author app.profiles;
  p app.action_proposals;
  v_source text := coalesce(propose_action.source, case when propose_action.thread_id is not null then 'thread' else 'agent' end);
  v_author uuid := app.proposal_author_id(v_source, propose_action.author_id);
  v_execution uuid;
  v_params jsonb := coalesce(propose_action.params, '{}'::jsonb);
  v_action app.saved_actions;
begin
  if app.trimmed(propose_action.rationale) is null or length(propose_action.rationale) > 2000 then
    raise exception 'rationale is required (at most 2000 characters): why this action helps' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  v_execution := app.proposal_execution_id(v_source, propose_action.execution_id, propose_action.thread_id, propose_action.message_id);
  if v_execution is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;
  select * into e from app.workflow_executions x where x.id = v_execution;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  -- Locked as the other writers of a workflow lock it (the assignee's workload, then the
  -- row), and who may propose and the workflow's state asked on the locked row: an
  -- escalation, a close or a reassignment committing now is waited for and seen, and one
  -- that starts now waits for this proposal.
  e := app.lock_workable_execution(e, 'propose actions on');
  author := app.proposal_author(e, v_author);
  perform app.require_workflow_accepts(e, 'action', 'propose an action on');
  v_action := app.available_action(propose_action.action_key, e.org_id);
  perform app.require_action_params(v_action.action_type, v_params);
  -- What the action needs to run, within the limits it will apply (app.require_params_to_run):
  -- a proposal that could only be refused on Approve is refused now, naming the param.
  perform app.require_params_to_run(v_action.action_type, v_action.config, e, v_params);

  insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, thread_id, message_id,
                                    source_ref, proposed_for)
  values (e.org_id, e.id, propose_action.action_key, v_params, app.trimmed(propose_action.rationale), v_source,
          propose_action.thread_id, propose_action.message_id, left(app.trimmed(propose_action.source_ref), 200), author.id)
  on conflict (execution_id, action_key, md5(params::text)) where status = 'proposed' do nothing
  returning * into p;
  if p.id is null then
    -- The same suggestion is already waiting: return it, notify nobody again.
    select * into p from app.action_proposals x
     where x.execution_id = e.id and x.action_key = propose_action.action_key and x.params = v_params and x.status = 'proposed';
    return app.proposal_json(p) || jsonb_build_object('duplicate', true);
  end if;
  perform app.notify_proposal(p, e, author.id, v_action.name);
  return app.proposal_json(p) || jsonb_build_object('duplicate', false);
end;
$$;
