-- A workflow's artifacts name their author (docs/web-app.md, "Drafts and approval").
--
-- What and why: the web app shows the draft's author "Waiting for a second person to
-- approve" instead of an Approve button that the database would refuse (the organisation
-- does not allow self-approval). get_workflow_execution's artifacts left out `created_by`,
-- so the page asked get_artifact once per unapproved draft just to learn who wrote it.
-- The list now carries it. Restated whole (migrations are append-only); one key added.

create or replace function app.execution_artifacts_json(e app.workflow_executions)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
             'id', a.id, 'artifact_type', a.artifact_type, 'title', a.title, 'content', a.content,
             'version', a.version, 'step_key', a.step_key, 'task_id', a.task_id, 'thread_id', a.thread_id,
             'generated_by', a.generated_by, 'ai_model', a.ai_model,
             'approved_by', a.approved_by, 'approved_at', a.approved_at, 'sent_at', a.sent_at,
             'created_by', a.created_by,
             'created_at', a.created_at, 'updated_at', a.updated_at)
           order by a.created_at desc), '[]'::jsonb)
      from app.workflow_task_artifacts a where a.execution_id = e.id and a.org_id = e.org_id
  );
end;
$$;
