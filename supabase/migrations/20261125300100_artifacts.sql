-- Artifacts: email drafts, summaries, assessments ... of a workflow, with every version
-- kept and an approval state (domain.md "Artifacts"; api.md "Artifacts").
--
-- Why this shape:
-- - Optimistic versioning: an update names the version it was based on; the row is
--   locked and a stale base version is PT409, never a silent overwrite.
-- - Every version is kept: `app.workflow_task_artifact_versions` gets one row per
--   version, the first one included, written in the same transaction as the artifact,
--   so the history is complete and `edited_by` is who wrote that version.
-- - Changing the content of an approved artifact withdraws the approval (a reviewer
--   approved *that* text); every approval and withdrawal is appended to
--   `metadata.approval_log` (who, when), so the record survives the next change.
-- - Security invoker throughout: RLS decides visibility (PT404) and
--   app.can_work_on_execution / app.can_work_on_artifact decide who may write (42501).

create or replace function app.artifact_json(a app.workflow_task_artifacts)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', a.id,
    'execution_id', a.execution_id,
    'step_key', a.step_key,
    'task_id', a.task_id,
    'thread_id', a.thread_id,
    'artifact_type', a.artifact_type,
    'title', a.title,
    'content', a.content,
    'version', a.version,
    'generated_by', a.generated_by,
    'ai_model', a.ai_model,
    'ai_prompt', a.ai_prompt,
    'approved', a.approved_by is not null,
    'approved_by', a.approved_by,
    'approved_at', a.approved_at,
    'created_by', a.created_by,
    'metadata', a.metadata,
    'created_at', a.created_at,
    'updated_at', a.updated_at
  )
$$;
grant execute on function app.artifact_json(app.workflow_task_artifacts) to authenticated, service_role;

-- Visible artifact or PT404; may the caller change it, or 42501. Returns it locked.
create or replace function app.artifact_for_write(artifact_id uuid)
returns app.workflow_task_artifacts
language plpgsql
volatile
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
begin
  if artifact_for_write.artifact_id is null then
    raise exception 'artifact_id is required' using errcode = '22023', hint = 'Pass the id of an artifact.';
  end if;
  select a.* into artifact from app.workflow_task_artifacts a where a.id = artifact_for_write.artifact_id;
  perform app.require_found(found, 'Artifact', 'artifact', 'artifacts');
  if not app.can_work_on_execution(artifact.execution_id) then
    raise exception 'You may not change this artifact' using errcode = '42501',
      hint = 'Only the CSM assigned to the workflow, a manager or an admin can change its artifacts.';
  end if;
  select a.* into artifact from app.workflow_task_artifacts a where a.id = artifact_for_write.artifact_id for update;
  return artifact;
end;
$$;
grant execute on function app.artifact_for_write(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------
-- create_artifact
-- ---------------------------------------------------------------------------------
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
  if create_artifact.metadata is not null and jsonb_typeof(create_artifact.metadata) <> 'object' then
    raise exception 'metadata must be a JSON object' using errcode = '22023', hint = 'Pass {} when there is nothing to add.';
  end if;

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
comment on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) is 'Creates an artifact of a workflow (version 1, unapproved).';
revoke execute on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) from public, anon;
grant execute on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) to authenticated;

-- ---------------------------------------------------------------------------------
-- list_artifacts
-- ---------------------------------------------------------------------------------
create or replace function public.list_artifacts(
  execution_id uuid default null,
  task_id uuid default null,
  artifact_type text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  result jsonb;
begin
  if list_artifacts.execution_id is null and list_artifacts.task_id is null then
    raise exception 'execution_id or task_id is required' using errcode = '22023',
      hint = 'List the artifacts of one workflow execution or one task.';
  end if;
  if list_artifacts.artifact_type is not null and list_artifacts.artifact_type not in (
    'email_draft', 'contract_analysis', 'meeting_notes', 'proposal_draft', 'recommendation',
    'assessment', 'action_plan', 'summary', 'custom'
  ) then
    raise exception 'artifact_type "%" is not known', list_artifacts.artifact_type using errcode = '22023',
      hint = 'Leave artifact_type out to list every type.';
  end if;

  -- Each branch is served by an index leading with its id (execution_id or task_id).
  select coalesce(jsonb_agg(app.artifact_json(a) order by a.created_at desc, a.id desc), '[]'::jsonb)
    into result
    from (
      select x.* from app.workflow_task_artifacts x
       where (list_artifacts.execution_id is null or x.execution_id = list_artifacts.execution_id)
         and (list_artifacts.task_id is null or x.task_id = list_artifacts.task_id)
         and (list_artifacts.artifact_type is null or x.artifact_type = list_artifacts.artifact_type)
       order by x.created_at desc, x.id desc
       limit 500
    ) a;
  return result;
end;
$$;
comment on function public.list_artifacts(uuid, uuid, text) is 'Artifacts of an execution or a task, newest first (at most 500).';
revoke execute on function public.list_artifacts(uuid, uuid, text) from public, anon;
grant execute on function public.list_artifacts(uuid, uuid, text) to authenticated;

-- ---------------------------------------------------------------------------------
-- get_artifact
-- ---------------------------------------------------------------------------------
create or replace function public.get_artifact(artifact_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
begin
  select a.* into artifact from app.workflow_task_artifacts a where a.id = get_artifact.artifact_id;
  perform app.require_found(found, 'Artifact', 'artifact', 'artifacts');
  return app.artifact_json(artifact) || jsonb_build_object(
    'versions', coalesce((
      select jsonb_agg(jsonb_build_object(
               'version', v.version, 'title', v.title, 'content', v.content, 'metadata', v.metadata,
               'edited_by', v.edited_by, 'created_at', v.created_at) order by v.version desc)
        from app.workflow_task_artifact_versions v
       where v.artifact_id = artifact.id and v.org_id = artifact.org_id), '[]'::jsonb));
end;
$$;
comment on function public.get_artifact(uuid) is 'An artifact with its version history, newest version first.';
revoke execute on function public.get_artifact(uuid) from public, anon;
grant execute on function public.get_artifact(uuid) to authenticated;

-- ---------------------------------------------------------------------------------
-- update_artifact
-- ---------------------------------------------------------------------------------
create or replace function public.update_artifact(artifact_id uuid, changes jsonb, base_version integer)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
  unknown_key text;
  new_title text;
  new_content jsonb;
  new_metadata jsonb;
  content_changed boolean;
  withdrawn boolean := false;
begin
  if update_artifact.changes is null or jsonb_typeof(update_artifact.changes) <> 'object' or update_artifact.changes = '{}'::jsonb then
    raise exception 'changes must be a JSON object with title, content or metadata' using errcode = '22023',
      hint = 'Pass only the fields you change, e.g. {"content": {...}}.';
  end if;
  select k into unknown_key from jsonb_object_keys(update_artifact.changes) k
   where k not in ('title', 'content', 'metadata') limit 1;
  if unknown_key is not null then
    raise exception 'changes.% cannot be changed', unknown_key using errcode = '22023',
      hint = 'An update may change title, content and metadata.';
  end if;
  if update_artifact.changes ? 'title' and (jsonb_typeof(update_artifact.changes -> 'title') <> 'string'
     or btrim(update_artifact.changes ->> 'title') = '') then
    raise exception 'changes.title must be non-empty text' using errcode = '22023', hint = 'Give the artifact a title.';
  end if;
  if update_artifact.changes ? 'content' and jsonb_typeof(update_artifact.changes -> 'content') = 'null' then
    raise exception 'changes.content must not be null' using errcode = '22023', hint = 'Pass the new content as JSON.';
  end if;
  if update_artifact.changes ? 'metadata' and jsonb_typeof(update_artifact.changes -> 'metadata') <> 'object' then
    raise exception 'changes.metadata must be a JSON object' using errcode = '22023', hint = 'Pass the metadata keys to set.';
  end if;
  if update_artifact.base_version is null then
    raise exception 'base_version is required' using errcode = '22023',
      hint = 'Pass the version you edited, as returned by get_artifact.';
  end if;

  artifact := app.artifact_for_write(update_artifact.artifact_id);

  if artifact.version <> update_artifact.base_version then
    raise exception 'This artifact was changed by someone else: it is at version %, your edit is based on version %',
      artifact.version, update_artifact.base_version
      using errcode = 'PT409', hint = 'Reload the artifact, apply your change to the current version and save again.';
  end if;

  new_title := coalesce(update_artifact.changes ->> 'title', artifact.title);
  new_content := coalesce(update_artifact.changes -> 'content', artifact.content);
  new_metadata := artifact.metadata || coalesce(update_artifact.changes -> 'metadata', '{}'::jsonb);
  content_changed := new_content is distinct from artifact.content or new_title is distinct from artifact.title;
  withdrawn := content_changed and artifact.approved_by is not null;

  if withdrawn then
    new_metadata := jsonb_set(new_metadata, '{approval_log}',
      coalesce(new_metadata -> 'approval_log', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
        'approved', false, 'by', (select auth.uid()), 'at', now(), 'reason', 'content changed')));
  end if;

  update app.workflow_task_artifacts a
     set title = new_title,
         content = new_content,
         metadata = new_metadata,
         version = a.version + 1,
         approved_by = case when withdrawn then null else a.approved_by end,
         approved_at = case when withdrawn then null else a.approved_at end
   where a.id = artifact.id
  returning * into artifact;

  insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content, metadata, edited_by)
  values (artifact.org_id, artifact.id, artifact.version, artifact.title, artifact.content, artifact.metadata, (select auth.uid()));

  return app.artifact_json(artifact) || jsonb_build_object('approval_withdrawn', withdrawn);
end;
$$;
comment on function public.update_artifact(uuid, jsonb, integer) is 'Changes title/content/metadata of an artifact based on a version (PT409 when stale); withdraws approval when the content changes.';
revoke execute on function public.update_artifact(uuid, jsonb, integer) from public, anon;
grant execute on function public.update_artifact(uuid, jsonb, integer) to authenticated;

-- ---------------------------------------------------------------------------------
-- approve_artifact
-- ---------------------------------------------------------------------------------
create or replace function public.approve_artifact(artifact_id uuid, approved boolean default true)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
begin
  if approve_artifact.approved is null then
    raise exception 'approved must be true or false' using errcode = '22023', hint = 'Pass false to withdraw an approval.';
  end if;
  artifact := app.artifact_for_write(approve_artifact.artifact_id);

  -- Approving an approved artifact (or withdrawing an unapproved one) changes nothing.
  if (artifact.approved_by is not null) = approve_artifact.approved then
    return app.artifact_json(artifact);
  end if;

  update app.workflow_task_artifacts a
     set approved_by = case when approve_artifact.approved then (select auth.uid()) end,
         approved_at = case when approve_artifact.approved then now() end,
         metadata = jsonb_set(a.metadata, '{approval_log}',
           coalesce(a.metadata -> 'approval_log', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
             'approved', approve_artifact.approved, 'by', (select auth.uid()), 'at', now())))
   where a.id = artifact.id
  returning * into artifact;
  return app.artifact_json(artifact);
end;
$$;
comment on function public.approve_artifact(uuid, boolean) is 'Approves an artifact (who, when) or withdraws the approval; both are logged in metadata.approval_log.';
revoke execute on function public.approve_artifact(uuid, boolean) from public, anon;
grant execute on function public.approve_artifact(uuid, boolean) to authenticated;

-- ---------------------------------------------------------------------------------
-- delete_artifact
-- ---------------------------------------------------------------------------------
create or replace function public.delete_artifact(artifact_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
begin
  artifact := app.artifact_for_write(delete_artifact.artifact_id);
  delete from app.workflow_task_artifacts a where a.id = artifact.id;
  return jsonb_build_object('id', artifact.id, 'deleted', true);
end;
$$;
comment on function public.delete_artifact(uuid) is 'Deletes an artifact and its versions.';
revoke execute on function public.delete_artifact(uuid) from public, anon;
grant execute on function public.delete_artifact(uuid) to authenticated;
