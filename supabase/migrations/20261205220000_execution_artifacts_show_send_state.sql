-- A workflow's artifacts say where their email is: queued, sent or failed
-- (docs/web-app.md, "Artifacts"; docs/business-rules.md "Email is sent once").
--
-- What and why: a draft handed to the outbox keeps its text (migration 20261205210000, a
-- PT409 on any edit), but the web app learnt that a draft had gone out only from
-- `sent_at`, which is set on delivery. So the card of a draft waiting in the outbox still
-- offered Edit, and the edit was refused. The list now carries `send_state`:
--   'sent'    delivered (the draft's sent_at, or an outbox row sent / delivered to the sink);
--   'queued'  an outbox row waits or is being sent (queued, sending): kept as it will go out;
--   'failed'  its newest send failed: editable again, as the trigger allows;
--   null      never handed to the outbox (or the send was cancelled).
-- A row waiting in the outbox wins over an older failure; otherwise the newest row speaks.
-- Restated whole (migrations are append-only); two keys added: send_state, and written_by
-- (who wrote the current text: the screens offer Approve only to someone else). Security invoker as before:
-- members read the organisation's outbox (its row-level policy), so viewers see it too.

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
             'send_state', case when a.sent_at is not null then 'sent' else (
                 select case when o.status in ('queued', 'sending') then 'queued'
                             when o.status in ('sent', 'delivered_to_sink') then 'sent'
                             when o.status = 'failed' then 'failed' end
                   from app.email_outbox o
                  where o.artifact_id = a.id and o.org_id = a.org_id
                  order by o.status in ('queued', 'sending') desc, o.created_at desc
                  limit 1) end,
             'created_by', a.created_by,
             -- who wrote the current text, whom approve_artifact refuses (its rule and
             -- app.artifact_text_author are in migration 20261205221000)
             'written_by', app.artifact_text_author(a),
             'created_at', a.created_at, 'updated_at', a.updated_at)
           order by a.created_at desc), '[]'::jsonb)
      from app.workflow_task_artifacts a where a.execution_id = e.id and a.org_id = e.org_id
  );
end;
$$;
