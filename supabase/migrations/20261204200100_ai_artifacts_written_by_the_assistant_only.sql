-- AI artifacts are written by the assistant only (issue 10, item 6, same class as the
-- forged replies): before this, any signed-in person could call create_artifact with
-- generated_by = 'ai' and an ai_model, and the web app showed their text as "drafted by
-- the assistant".
--
-- - create_artifact (people) refuses generated_by = 'ai' (42501) and ai_model/ai_prompt
--   (22023).
-- - create_assistant_artifact (service role only) is the one writer of AI artifacts: the
--   chat function's draft_email tool (tied to the reply being answered: the pending
--   assistant message of that thread) and the complete-thread function's summary (tied
--   to a completed thread, one summary each). The author is the person the function
--   acts for; they must be allowed to work on the thread (the caller's own token was
--   checked by post_chat_message / complete_chat_thread just before).

create or replace function public.create_artifact(
  execution_id uuid,
  artifact_type text,
  title text,
  content jsonb,
  step_key text default null,
  task_id uuid default null,
  thread_id uuid default null,
  generated_by text default 'manual',
  ai_model text default null,
  ai_prompt text default null,
  metadata jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  execution app.workflow_executions;
  artifact app.workflow_task_artifacts;
begin
  if create_artifact.artifact_type is null or create_artifact.artifact_type not in (
    'email_draft', 'contract_analysis', 'meeting_notes', 'proposal_draft', 'recommendation',
    'assessment', 'action_plan', 'summary', 'custom'
  ) then
    raise exception 'artifact_type "%" is not known', create_artifact.artifact_type using errcode = '22023',
      hint = 'Use email_draft, contract_analysis, meeting_notes, proposal_draft, recommendation, assessment, action_plan, summary or custom.';
  end if;
  if create_artifact.title is null or btrim(create_artifact.title) = '' then
    raise exception 'title must not be empty' using errcode = '22023', hint = 'Give the artifact a title.';
  end if;
  if create_artifact.content is null then
    raise exception 'content is required' using errcode = '22023', hint = 'Pass the artifact''s content as JSON.';
  end if;
  if create_artifact.generated_by is null or create_artifact.generated_by not in ('manual', 'ai', 'template') then
    raise exception 'generated_by must be manual, ai or template' using errcode = '22023', hint = 'Leave it out for manual.';
  end if;
  -- What the assistant made is stored by the assistant (create_assistant_artifact, service
  -- role); a person's artifact never claims to be the model's.
  if create_artifact.generated_by = 'ai' then
    raise exception 'Only the assistant can create AI artifacts' using errcode = '42501',
      hint = 'Leave generated_by out (manual) or use template; the assistant''s drafts and summaries come through chat.';
  end if;
  if create_artifact.ai_model is not null or create_artifact.ai_prompt is not null then
    raise exception 'ai_model and ai_prompt are recorded only for AI artifacts' using errcode = '22023',
      hint = 'Leave ai_model and ai_prompt out.';
  end if;
  if create_artifact.metadata is not null and jsonb_typeof(create_artifact.metadata) <> 'object' then
    raise exception 'metadata must be a JSON object' using errcode = '22023', hint = 'Pass {} when there is nothing to add.';
  end if;
  perform app.refuse_reserved_artifact_metadata(create_artifact.metadata, 'metadata');

  select e.* into execution from app.workflow_executions e where e.id = create_artifact.execution_id;
  perform app.require_found(found, 'Workflow execution', 'execution', 'workflows');
  if not app.can_work_on_execution(execution.id) then
    raise exception 'You may not add artifacts to this workflow' using errcode = '42501',
      hint = 'Only the CSM assigned to the workflow, a manager or an admin can add artifacts.';
  end if;
  if create_artifact.thread_id is not null and not exists (
    select 1 from app.workflow_chat_threads t
     where t.id = create_artifact.thread_id and t.execution_id = execution.id and t.org_id = execution.org_id
  ) then
    raise exception 'thread_id is not a chat thread of this workflow' using errcode = '22023',
      hint = 'Pass a thread of the same execution, or leave thread_id out.';
  end if;
  if create_artifact.task_id is not null and not exists (
    select 1 from app.workflow_tasks k where k.id = create_artifact.task_id and k.org_id = execution.org_id
  ) then
    raise exception 'task_id is not a task of your organisation' using errcode = '22023',
      hint = 'Pass the id of an existing task, or leave task_id out.';
  end if;

  insert into app.workflow_task_artifacts (
    org_id, execution_id, step_key, task_id, thread_id, artifact_type, title, content,
    generated_by, ai_model, ai_prompt, created_by, metadata
  ) values (
    execution.org_id, execution.id, create_artifact.step_key, create_artifact.task_id, create_artifact.thread_id,
    create_artifact.artifact_type, create_artifact.title, create_artifact.content,
    create_artifact.generated_by, create_artifact.ai_model, create_artifact.ai_prompt, (select auth.uid()),
    coalesce(create_artifact.metadata, '{}'::jsonb)
  )
  returning * into artifact;

  insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content, metadata, edited_by)
  values (artifact.org_id, artifact.id, artifact.version, artifact.title, artifact.content, artifact.metadata, artifact.created_by);

  return app.artifact_json(artifact);
end;
$$;
comment on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) is 'Creates a person''s artifact of a workflow (version 1, unapproved; manual or template, never ai).';
revoke execute on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) from public, anon;
grant execute on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) to authenticated;

-- ---------------------------------------------------------------------------------
-- create_assistant_artifact (service role only)
-- ---------------------------------------------------------------------------------
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
  artifact app.workflow_task_artifacts;
  source jsonb;
begin
  if create_assistant_artifact.thread_id is null or create_assistant_artifact.author_id is null then
    raise exception 'thread_id and author_id are required' using errcode = '22023',
      hint = 'Pass the chat thread the artifact comes from and the person the assistant works for.';
  end if;
  if create_assistant_artifact.artifact_type is null or create_assistant_artifact.artifact_type not in (
    'email_draft', 'contract_analysis', 'meeting_notes', 'proposal_draft', 'recommendation',
    'assessment', 'action_plan', 'summary', 'custom'
  ) then
    raise exception 'artifact_type "%" is not known', create_assistant_artifact.artifact_type using errcode = '22023',
      hint = 'Use email_draft, contract_analysis, meeting_notes, proposal_draft, recommendation, assessment, action_plan, summary or custom.';
  end if;
  if create_assistant_artifact.title is null or btrim(create_assistant_artifact.title) = '' then
    raise exception 'title must not be empty' using errcode = '22023', hint = 'Give the artifact a title.';
  end if;
  if create_assistant_artifact.content is null then
    raise exception 'content is required' using errcode = '22023', hint = 'Pass the artifact''s content as JSON.';
  end if;
  if create_assistant_artifact.metadata is not null and jsonb_typeof(create_assistant_artifact.metadata) <> 'object' then
    raise exception 'metadata must be a JSON object' using errcode = '22023', hint = 'Pass {} when there is nothing to add.';
  end if;
  perform app.refuse_reserved_artifact_metadata(create_assistant_artifact.metadata, 'metadata');

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

  insert into app.workflow_task_artifacts (
    org_id, execution_id, step_key, thread_id, artifact_type, title, content,
    generated_by, ai_model, ai_prompt, created_by, metadata
  ) values (
    thread.org_id, thread.execution_id, thread.step_key, thread.id,
    create_assistant_artifact.artifact_type, create_assistant_artifact.title, create_assistant_artifact.content,
    'ai', create_assistant_artifact.ai_model, create_assistant_artifact.ai_prompt, create_assistant_artifact.author_id,
    coalesce(create_assistant_artifact.metadata, '{}'::jsonb) || source
  )
  returning * into artifact;

  insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content, metadata, edited_by)
  values (artifact.org_id, artifact.id, artifact.version, artifact.title, artifact.content, artifact.metadata, artifact.created_by);

  return app.artifact_json(artifact);
end;
$$;
comment on function public.create_assistant_artifact(uuid, uuid, text, text, jsonb, text, text, uuid, jsonb) is
  'Service role only (chat and complete-thread functions): stores an AI artifact of a thread, for the person the assistant works for (version 1, unapproved).';
revoke execute on function public.create_assistant_artifact(uuid, uuid, text, text, jsonb, text, text, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.create_assistant_artifact(uuid, uuid, text, text, jsonb, text, text, uuid, jsonb) to service_role;
