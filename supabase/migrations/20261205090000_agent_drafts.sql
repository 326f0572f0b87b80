-- Drafts written by an AI agent through the `mcp` function (docs/agents.md).
--
-- An agent works with the person's own token, so what it drafts is the person's to review,
-- but it must not be stored as if the person (or Renubu's own assistant) had written it:
-- `generated_by = 'agent'`, with the agent's self-reported name in `ai_model`. People
-- cannot claim this provenance through create_artifact (it accepts manual and template
-- only), and the draft is unapproved like every new artifact.
--
-- create_agent_draft reuses create_artifact for every rule of a new artifact (type, title,
-- content, who may add to the workflow, reserved metadata keys), then marks the row it just
-- made, in the same transaction, through a definer helper that touches nothing else.

alter table app.workflow_task_artifacts drop constraint workflow_task_artifacts_generated_by_is_known;
alter table app.workflow_task_artifacts add constraint workflow_task_artifacts_generated_by_is_known
  check (generated_by in ('manual', 'ai', 'template', 'agent'));

-- Marks an artifact version 1 that the caller created in this very transaction as an agent's.
create or replace function app.mark_artifact_drafted_by_agent(p_artifact_id uuid, p_agent_name text)
returns app.workflow_task_artifacts
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
begin
  update app.workflow_task_artifacts a
     set generated_by = 'agent', ai_model = p_agent_name
   where a.id = p_artifact_id
     and a.created_by = (select auth.uid())
     and a.version = 1
     and a.created_at = now()            -- now() is this transaction's start: made just now
     and a.generated_by = 'manual'
  returning a.* into artifact;
  if artifact.id is null then
    raise exception 'Only a draft made in this request can be marked as an agent''s' using errcode = '42501';
  end if;
  return artifact;
end;
$$;
revoke execute on function app.mark_artifact_drafted_by_agent(uuid, text) from public, anon;
grant execute on function app.mark_artifact_drafted_by_agent(uuid, text) to authenticated;

create or replace function public.create_agent_draft(
  execution_id uuid,
  artifact_type text,
  title text,
  content jsonb,
  agent_name text
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  created jsonb;
  v_agent text := nullif(btrim(coalesce(create_agent_draft.agent_name, '')), '');
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
  return app.artifact_json(app.mark_artifact_drafted_by_agent((created ->> 'id')::uuid, v_agent));
end;
$$;
comment on function public.create_agent_draft(uuid, text, text, jsonb, text) is
  'An unapproved artifact drafted by an AI agent acting for the caller (generated_by agent, the agent''s name in ai_model).';
revoke execute on function public.create_agent_draft(uuid, text, text, jsonb, text) from public, anon;
grant execute on function public.create_agent_draft(uuid, text, text, jsonb, text) to authenticated;
