-- Tasks and artifacts hold text of a size people can read (docs/api-contract.md "Errors").
--
-- What and why: a task's title and description, and an artifact's title and content, had
-- no bound: a security review stored a 1 MB title through create_task, the create_task
-- action, create_artifact and create_agent_draft, which every list then carried. Other
-- free text already had one (an engagement's summary 4 000, a chat message 20 000, a task
-- title through MCP 300). These bounds hold on every path, as row triggers that answer
-- 22023 naming the field:
--   * a task's title at most 300 characters, its description at most 10 000;
--   * a task's skip or reassign reason at most 2 000;
--   * an artifact's title at most 300 characters, its content at most 100 000 characters
--     as JSON text (an email draft or an assessment is a few thousand; a model's answer is
--     bounded by its token limit far below this, so nothing the assistant writes is refused),
--     its metadata (provenance, sources) at most 20 000;
--   * an action's params (execute_action: reasons, notes, titles) at most 20 000 as JSON
--     text, checked when the action is logged, before anything is applied.

create or replace function app.require_text_within(value text, argument text, most integer)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if value is not null and length(value) > most then
    raise exception '% is longer than % characters', argument, most using errcode = '22023',
      hint = 'Shorten it; long material belongs in an artifact or an attached document.';
  end if;
end;
$$;
grant execute on function app.require_text_within(text, text, integer) to authenticated, service_role;

create or replace function app.tasks_keep_readable_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.require_text_within(new.title, 'title', 300);
  perform app.require_text_within(new.description, 'description', 10000);
  perform app.require_text_within(new.skip_reason, 'reason', 2000);
  perform app.require_text_within(new.reassign_reason, 'reason', 2000);
  return new;
end;
$$;

create trigger workflow_tasks_keep_readable_text
  before insert or update of title, description, skip_reason, reassign_reason on app.workflow_tasks
  for each row execute function app.tasks_keep_readable_text();

create or replace function app.artifacts_keep_readable_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.require_text_within(new.title, 'title', 300);
  if tg_op = 'INSERT' or new.content is distinct from old.content then
    perform app.require_text_within(new.content::text, 'content', 100000);
  end if;
  if tg_op = 'INSERT' or new.metadata is distinct from old.metadata then
    perform app.require_text_within(new.metadata::text, 'metadata', 20000);
  end if;
  return new;
end;
$$;

create trigger workflow_task_artifacts_keep_readable_text
  before insert or update of title, content, metadata on app.workflow_task_artifacts
  for each row execute function app.artifacts_keep_readable_text();

-- What an action is asked to do (its params: reasons, notes, titles, addresses) is logged
-- before anything is applied (app.claim_action_log), so one bound there covers every
-- action's free text, built-in or the organisation's own.
create or replace function app.action_log_keeps_readable_params()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.require_text_within(new.params::text, 'params', 20000);
  return new;
end;
$$;

create trigger action_executions_keep_readable_params
  before insert on app.action_executions
  for each row execute function app.action_log_keeps_readable_params();
