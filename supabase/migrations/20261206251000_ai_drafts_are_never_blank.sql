-- A draft the assistant or an agent writes says something: its text is never blank
-- (docs/business-rules.md "Required text", docs/agents.md).
--
-- What and why: the MCP server's draft_email took a body of only a zero-width space
-- (U+200B), as the chat assistant's draft_email did: its schema's trim() and \S do not
-- call that blank. The draft was stored and shown for review, and only sending refused it
-- ("the email has no text"), after a person had read and perhaps approved an empty
-- email. A draft a person writes may be blank while they work on it; one a model or an
-- agent writes is finished text, so it is checked when it is drafted, with the house
-- validation error (22023 naming the field), by one helper, app.check_drafted_text:
-- - an email draft's body must be text that is not blank by app.trimmed (the blank-text
--   rule of migration 20261206226000);
-- - any other text of the draft's content (an email's subject, a summary's text) that is
--   given must not be blank either.
-- It runs in both AI writers: create_agent_draft (the MCP server's draft_email) and
-- create_assistant_artifact (the chat assistant's draft_email and the summary of a
-- completed chat). Functions restated whole from their latest definitions
-- (create_agent_draft 20261206226000, create_assistant_artifact 20261205225500); the
-- check is the only change.
-- supabase/tests/create_agent_draft/a_drafted_text_is_never_blank.test.sql.

create or replace function app.check_drafted_text(artifact_type text, content jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  if check_drafted_text.content is null or jsonb_typeof(check_drafted_text.content) <> 'object' then
    return;  -- the artifact's own checks name a missing or malformed content
  end if;
  if check_drafted_text.artifact_type = 'email_draft'
     and (jsonb_typeof(check_drafted_text.content -> 'body') is distinct from 'string'
          or app.trimmed(check_drafted_text.content ->> 'body') is null) then
    raise exception 'content.body must not be blank: the drafted email says nothing' using errcode = '22023',
      hint = 'Write the message in body; whitespace or invisible characters alone are blank.';
  end if;
  select e.k into v_key
    from jsonb_each(check_drafted_text.content) e(k, v)
   where jsonb_typeof(e.v) = 'string' and app.trimmed(e.v #>> '{}') is null
   order by e.k
   limit 1;
  if v_key is not null then
    raise exception 'content.% must not be blank', v_key using errcode = '22023',
      hint = 'Write the text, or leave the field out; whitespace or invisible characters alone are blank.';
  end if;
end;
$$;
revoke execute on function app.check_drafted_text(text, jsonb) from public, anon;
grant execute on function app.check_drafted_text(text, jsonb) to authenticated, service_role;

create or replace function public.create_agent_draft(execution_id uuid, artifact_type text, title text, content jsonb, agent_name text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  created jsonb;
  v_agent text := app.trimmed(create_agent_draft.agent_name);
begin
  if v_agent is null or length(v_agent) > 100 then
    raise exception 'agent_name is required (at most 100 characters): the client that drafted it' using errcode = '22023';
  end if;
  created := public.create_artifact(
    execution_id => create_agent_draft.execution_id,
    artifact_type => create_agent_draft.artifact_type,
    title => create_agent_draft.title,
    content => create_agent_draft.content
  );
  -- After create_artifact's own checks, so who may draft where is answered first.
  perform app.check_drafted_text(create_agent_draft.artifact_type, create_agent_draft.content);
  return app.artifact_json(app.mark_artifact_drafted_by_agent((created ->> 'id')::uuid, v_agent));
end;
$$;

create or replace function public.create_assistant_artifact(
  thread_id uuid,
  author_id uuid,
  artifact_type text,
  title text,
  content jsonb,
  ai_model text,
  ai_prompt text default null,
  message_id uuid default null,
  metadata jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  thread app.workflow_chat_threads;
  source jsonb;
  v_execution app.workflow_executions;
begin
  if create_assistant_artifact.thread_id is null or create_assistant_artifact.author_id is null then
    raise exception 'thread_id and author_id are required' using errcode = '22023',
      hint = 'Pass the chat thread the artifact comes from and the person the assistant works for.';
  end if;
  perform app.check_new_artifact(create_assistant_artifact.artifact_type, create_assistant_artifact.title, create_assistant_artifact.content);
  perform app.check_artifact_metadata(create_assistant_artifact.metadata);

  if create_assistant_artifact.message_id is not null then
    -- A tool call of the reply being answered (takes the thread's writer lock).
    perform app.assistant_reply_in_flight(create_assistant_artifact.thread_id, create_assistant_artifact.message_id);
    select t.* into thread from app.workflow_chat_threads t where t.id = create_assistant_artifact.thread_id;
    source := jsonb_build_object('source', 'chat', 'message_id', create_assistant_artifact.message_id);
  else
    -- The summary of a completed thread, once.
    perform pg_advisory_xact_lock(hashtextextended('app.workflow_chat_threads:' || create_assistant_artifact.thread_id::text, 0));
    select t.* into thread from app.workflow_chat_threads t where t.id = create_assistant_artifact.thread_id;
    perform app.require_found(found, 'Chat thread', 'thread', 'threads');
    if thread.status <> 'completed' or create_assistant_artifact.artifact_type <> 'summary' then
      raise exception 'Without a reply being answered, the assistant only writes the summary of a completed chat' using errcode = 'PT409',
        hint = 'Pass the pending assistant message, or complete the thread first.';
    end if;
    if exists (select 1 from app.workflow_task_artifacts a
                where a.thread_id = thread.id and a.artifact_type = 'summary' and a.generated_by = 'ai') then
      raise exception 'This chat already has its summary' using errcode = 'PT409', hint = 'Use the stored summary.';
    end if;
    source := jsonb_build_object('source', 'complete-thread');
  end if;

  if not exists (
    select 1
      from app.workflow_executions e
      join app.profiles p on p.id = create_assistant_artifact.author_id and p.org_id = e.org_id
     where e.id = thread.execution_id
       and (p.role in ('manager', 'admin') or (p.role = 'csm' and (e.assigned_to is null or e.assigned_to = p.id)))
  ) then
    raise exception 'This person may not work on this chat' using errcode = '42501',
      hint = 'The author must be the CSM assigned to the workflow, a manager or an admin of its organisation.';
  end if;
  if create_assistant_artifact.message_id is not null then
    select x.* into v_execution from app.workflow_executions x where x.id = thread.execution_id;
    perform app.require_workflow_accepts(v_execution, 'draft', 'add a draft to');
  end if;
  -- Last, so who may draft where is answered first.
  perform app.check_drafted_text(create_assistant_artifact.artifact_type, create_assistant_artifact.content);

  return app.store_new_artifact(
    thread.org_id, thread.execution_id, thread.step_key, null, thread.id,
    create_assistant_artifact.artifact_type, create_assistant_artifact.title, create_assistant_artifact.content,
    'ai', create_assistant_artifact.ai_model, create_assistant_artifact.ai_prompt, create_assistant_artifact.author_id,
    coalesce(create_assistant_artifact.metadata, '{}'::jsonb) || source);
end;
$$;
