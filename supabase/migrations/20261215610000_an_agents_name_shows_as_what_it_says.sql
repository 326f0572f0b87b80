-- The agent's name the MCP server attests is a name like any other: one line, with no control
-- character and no text-direction override (docs/business-rules.md "Displayable text").
--
-- What and why: an MCP client names itself (clientInfo.name in initialize, or ?agent= in the
-- server URL), and the name is stamped on what the agent writes and shown to other people: a
-- draft's "drafted by the agent …" (workflow_task_artifacts.ai_model), a proposal's source
-- (action_proposals.source_ref), a logged entry's "logged by the agent …"
-- (engagement_events.metadata.details.logged_by_agent). 20261214300000 made every name and
-- title displayable, but not this one: an agent named 'Renewal Bot<U+202E>gnp.exe' read
-- 'Renewal Botexe.png' on a colleague's screen, and one with a line break split the line.
-- Nor was it trimmed alike: a proposal stored it trimmed, a logged entry as sent.
--
-- Now the one place the name enters the database, app.calling_agent(), answers it trimmed
-- (app.trimmed) and refuses one that is not a displayable line with 22023 naming
-- x-renubu-agent (app.require_displayable_text), so every write an agent makes is refused
-- alike and nothing is written; the MCP server makes a client's name one displayable line
-- before it attests it (recordedName, functions-shared/text.ts), so an agent is not refused
-- for the name its client gave itself. Restated from 20261214500000; the check and the trim
-- are the change.
-- supabase/tests/agent_attribution/an_agents_name_shows_as_what_it_says.test.sql.

create or replace function app.calling_agent()
returns text
language plpgsql
stable
security definer -- asks app.agent_proof, which reads the secret
set search_path = ''
as $$
declare
  v_headers jsonb := coalesce(nullif(current_setting('request.headers', true), ''), '{}')::jsonb;
  v_name text := v_headers ->> 'x-renubu-agent';
  v_proof text := v_headers ->> 'x-renubu-agent-proof';
  v_token text := substring(v_headers ->> 'authorization' from '^[Bb]earer +(.+)$');
  v_agent text;
begin
  if v_name is null and v_proof is null then
    return null;
  end if;
  if v_name is null or v_proof is null or v_token is null or v_proof <> app.agent_proof(v_token, v_name) then
    raise exception 'The x-renubu-agent headers are not the MCP server''s' using errcode = '42501',
      hint = 'Only the MCP server names the agent a call is made by; call without these headers.';
  end if;
  v_agent := app.trimmed(convert_from(decode(v_name, 'base64'), 'UTF8'));
  -- Shown to other people as the name of who wrote it: one displayable line.
  perform app.require_displayable_text(v_agent, 'x-renubu-agent');
  return v_agent;
end;
$$;
comment on function app.calling_agent() is
  'The AI agent the MCP server attests makes this call (x-renubu-agent with its x-renubu-agent-proof), trimmed, or null; 42501 for headers without a right proof, 22023 for a name that is not one displayable line.';
