-- Nobody can write what the model, the system or another person said (issue 10, item 6),
-- and a manual orchestrator run cannot travel in time (item 8).
--
-- Before this migration a signed-in CSM could call finish_chat_message and
-- record_llm_tool_call directly: they stored "Maria approved a 50% discount" as the
-- assistant's answer and a fake propose_action tool call. Likewise update_artifact and
-- create_artifact merged any metadata, approval_log included, so approval history could
-- be invented or erased.
--
-- What changes:
-- - finish_chat_message and record_llm_tool_call are service-side: EXECUTE only for
--   service_role (revoked from authenticated, anon, PUBLIC). The chat Edge Function
--   checks the caller with the caller's own token (post_chat_message, RLS: may this person
--   chat in this thread?) and then writes the model's answer and its tool calls with the
--   service role. Both now take the thread id and refuse a message that is not that
--   thread's assistant reply still `pending`/`streaming`, so a leaked message id can never
--   rewrite a finished answer or hang tool calls on one. The signatures change (thread_id
--   added), so the old ones are dropped.
-- - Artifact metadata has reserved keys (app.artifact_reserved_metadata_keys, the one
--   list): approval history is written only by approve_artifact (and the functions that
--   withdraw an approval), never taken from user input. create_artifact and
--   update_artifact refuse them (22023 with a hint).
-- - run_orchestrator(as_of): unless the caller is service_role, as_of must be within one
--   day of today in the organisation's time zone (22023); a manager could run it "in 2099"
--   and supersede every open renewal.
-- The structural guard (supabase/tests/structure/service_only_functions_*.test.sql) lists
-- the service-only functions so a future grant to authenticated or anon is caught.

-- ---------------------------------------------------------------------------------
-- finish_chat_message (service role only)
-- ---------------------------------------------------------------------------------
drop function if exists public.finish_chat_message(uuid, text, text, integer, integer, text, jsonb);

-- The assistant reply a service-side write may touch: it exists, belongs to the named
-- thread, is an assistant message and is still being answered. Takes the thread's writer
-- lock (the same one app.chat_thread_for_write takes) and locks the message row.
create or replace function app.assistant_reply_in_flight(thread_id uuid, message_id uuid)
returns app.workflow_chat_messages
language plpgsql
volatile
set search_path = ''
as $$
declare
  message app.workflow_chat_messages;
begin
  if assistant_reply_in_flight.thread_id is null or assistant_reply_in_flight.message_id is null then
    raise exception 'thread_id and message_id are required' using errcode = '22023',
      hint = 'Pass the thread and the pending assistant message post_chat_message returned.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('app.workflow_chat_threads:' || assistant_reply_in_flight.thread_id::text, 0));
  select m.* into message
    from app.workflow_chat_messages m
   where m.id = assistant_reply_in_flight.message_id and m.thread_id = assistant_reply_in_flight.thread_id
   for update;
  if not found then
    raise exception 'Chat message not found in this thread' using errcode = 'PT404',
      hint = 'Pass the pending assistant message post_chat_message returned for this thread.';
  end if;
  if message.role <> 'assistant' then
    raise exception 'Only assistant messages can be written by the assistant' using errcode = 'PT409',
      hint = 'Pass the id of the pending assistant message post_chat_message returned.';
  end if;
  if message.status not in ('pending', 'streaming') then
    raise exception 'This assistant message is already %', message.status using errcode = 'PT409',
      hint = 'Send the question again to get a new answer.';
  end if;
  return message;
end;
$$;
comment on function app.assistant_reply_in_flight(uuid, uuid) is 'The pending/streaming assistant reply of a thread, locked for a service-side write; PT404/PT409 otherwise.';
revoke execute on function app.assistant_reply_in_flight(uuid, uuid) from public, anon, authenticated;
grant execute on function app.assistant_reply_in_flight(uuid, uuid) to service_role;

-- status 'streaming' marks a pending reply as being streamed (with its partial text);
-- 'complete' and 'failed' finish it and add its tokens to the thread's totals.
create or replace function public.finish_chat_message(
  thread_id uuid,
  message_id uuid,
  content text,
  status text,
  tokens_in integer default null,
  tokens_out integer default null,
  model text default null,
  metadata jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  message app.workflow_chat_messages;
begin
  if finish_chat_message.status is null or finish_chat_message.status not in ('streaming', 'complete', 'failed') then
    raise exception 'status must be streaming, complete or failed' using errcode = '22023',
      hint = 'Use complete for a finished answer and failed (with metadata.error) when the model failed.';
  end if;
  if coalesce(finish_chat_message.tokens_in, 0) < 0 or coalesce(finish_chat_message.tokens_out, 0) < 0 then
    raise exception 'tokens_in and tokens_out must not be negative' using errcode = '22023', hint = 'Pass the counts the model reported.';
  end if;
  if finish_chat_message.metadata is not null and jsonb_typeof(finish_chat_message.metadata) <> 'object' then
    raise exception 'metadata must be a JSON object' using errcode = '22023', hint = 'Pass {} when there is nothing to add.';
  end if;

  message := app.assistant_reply_in_flight(finish_chat_message.thread_id, finish_chat_message.message_id);

  if finish_chat_message.status = 'streaming' then
    update app.workflow_chat_messages m
       set status = 'streaming', content = coalesce(finish_chat_message.content, m.content)
     where m.id = message.id
    returning * into message;
    return app.chat_message_json(message);
  end if;

  update app.workflow_chat_messages m
     set status = finish_chat_message.status,
         content = coalesce(finish_chat_message.content, m.content),
         tokens_in = finish_chat_message.tokens_in,
         tokens_out = finish_chat_message.tokens_out,
         model = finish_chat_message.model,
         metadata = m.metadata || coalesce(finish_chat_message.metadata, '{}'::jsonb),
         error_message = case when finish_chat_message.status = 'failed'
                              then coalesce(finish_chat_message.metadata ->> 'error', 'The assistant could not answer. Please try again.')
                         end,
         completed_at = now()
   where m.id = message.id
  returning * into message;

  update app.workflow_chat_threads t
     set tokens_in = t.tokens_in + coalesce(finish_chat_message.tokens_in, 0),
         tokens_out = t.tokens_out + coalesce(finish_chat_message.tokens_out, 0),
         -- The exchange's messages: the question always, the reply when it completed.
         message_count = t.message_count + case when finish_chat_message.status = 'complete' then 2 else 1 end
   where t.id = message.thread_id;

  return app.chat_message_json(message);
end;
$$;
comment on function public.finish_chat_message(uuid, uuid, text, text, integer, integer, text, jsonb) is
  'Service role only (the chat function): marks a pending assistant reply of the thread streaming, or finishes it complete/failed and updates the thread''s totals.';
revoke execute on function public.finish_chat_message(uuid, uuid, text, text, integer, integer, text, jsonb) from public, anon, authenticated;
grant execute on function public.finish_chat_message(uuid, uuid, text, text, integer, integer, text, jsonb) to service_role;

-- ---------------------------------------------------------------------------------
-- record_llm_tool_call (service role only)
-- ---------------------------------------------------------------------------------
drop function if exists public.record_llm_tool_call(uuid, text, jsonb, jsonb, boolean, text, integer);

create or replace function public.record_llm_tool_call(
  thread_id uuid,
  message_id uuid,
  tool_name text,
  tool_input jsonb,
  tool_output jsonb,
  success boolean,
  error_message text default null,
  duration_ms integer default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  message app.workflow_chat_messages;
  call app.workflow_llm_tool_calls;
begin
  if record_llm_tool_call.tool_name is null or btrim(record_llm_tool_call.tool_name) = '' then
    raise exception 'tool_name is required' using errcode = '22023', hint = 'Pass the name of the tool the model called.';
  end if;
  if record_llm_tool_call.success is null then
    raise exception 'success is required' using errcode = '22023', hint = 'Pass true or false.';
  end if;
  if record_llm_tool_call.duration_ms < 0 then
    raise exception 'duration_ms must not be negative' using errcode = '22023', hint = 'Pass the measured duration in milliseconds.';
  end if;

  -- A tool call belongs to the reply being answered, never to a finished one.
  message := app.assistant_reply_in_flight(record_llm_tool_call.thread_id, record_llm_tool_call.message_id);

  insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, tool_input, tool_output, success, error_message, duration_ms)
  values (message.org_id, message.thread_id, message.id, record_llm_tool_call.tool_name,
          coalesce(record_llm_tool_call.tool_input, '{}'::jsonb), record_llm_tool_call.tool_output,
          record_llm_tool_call.success, record_llm_tool_call.error_message, record_llm_tool_call.duration_ms)
  returning * into call;

  return app.llm_tool_call_json(call) || jsonb_build_object('thread_id', call.thread_id);
end;
$$;
comment on function public.record_llm_tool_call(uuid, uuid, text, jsonb, jsonb, boolean, text, integer) is
  'Service role only (the chat function): logs one tool call the model made while answering a pending reply of the thread.';
revoke execute on function public.record_llm_tool_call(uuid, uuid, text, jsonb, jsonb, boolean, text, integer) from public, anon, authenticated;
grant execute on function public.record_llm_tool_call(uuid, uuid, text, jsonb, jsonb, boolean, text, integer) to service_role;

-- ---------------------------------------------------------------------------------
-- Artifact metadata: reserved keys
-- ---------------------------------------------------------------------------------
-- The one list of metadata keys only the database writes (approval history and the
-- send record), compared case-insensitively. approve_artifact, update_artifact's own
-- withdrawal entry and withdraw_overridden_approval append to approval_log; no caller
-- passes them in.
create or replace function app.artifact_reserved_metadata_keys()
returns text[]
language sql
immutable
set search_path = ''
as $$
  select array['approval_log', 'approved_by', 'approved_at', 'sent_at', 'sent_outbox_id']
$$;
comment on function app.artifact_reserved_metadata_keys() is 'Artifact metadata keys written only by the database (approval history, send record); refused from user input.';
grant execute on function app.artifact_reserved_metadata_keys() to authenticated, service_role;

-- 22023 when user-supplied metadata names a reserved key.
create or replace function app.refuse_reserved_artifact_metadata(metadata jsonb, argument text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  reserved text;
begin
  if refuse_reserved_artifact_metadata.metadata is null or jsonb_typeof(refuse_reserved_artifact_metadata.metadata) <> 'object' then
    return;
  end if;
  select k into reserved
    from jsonb_object_keys(refuse_reserved_artifact_metadata.metadata) k
   where lower(btrim(k)) = any (app.artifact_reserved_metadata_keys())
   limit 1;
  if reserved is not null then
    raise exception '%.% cannot be set', refuse_reserved_artifact_metadata.argument, reserved using errcode = '22023',
      hint = format('%s are kept by Renubu itself; approve or withdraw with approve_artifact.',
                    array_to_string(app.artifact_reserved_metadata_keys(), ', '));
  end if;
end;
$$;
comment on function app.refuse_reserved_artifact_metadata(jsonb, text) is 'Raises 22023 when metadata from a caller names a reserved artifact metadata key.';
grant execute on function app.refuse_reserved_artifact_metadata(jsonb, text) to authenticated, service_role;

-- ---------------------------------------------------------------------------------
-- update_artifact: as before, reserved metadata keys refused. (create_artifact refuses them
-- too; it is redefined once, with the AI-artifact rule, in 20261204200100.)
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
  perform app.refuse_reserved_artifact_metadata(update_artifact.changes -> 'metadata', 'changes.metadata');
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
-- run_orchestrator: as_of within a day of the organisation's today
-- ---------------------------------------------------------------------------------
create or replace function public.run_orchestrator(as_of date default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_today date;
  v_result jsonb;
begin
  if v_org is null or not app.has_role('manager', 'admin') then
    raise exception 'Only managers and admins can run the orchestrator' using errcode = '42501',
      hint = 'Ask a manager of your organisation; it also runs every day on its own.';
  end if;
  -- A run on another day opens and supersedes work as of that day; people may only
  -- nudge it across a midnight (their clock and the organisation's may differ by a day).
  if run_orchestrator.as_of is not null and current_user <> 'service_role' then
    v_today := app.organisation_today(v_org);
    if run_orchestrator.as_of not between v_today - 1 and v_today + 1 then
      raise exception 'as_of must be within one day of today (%)', v_today using errcode = '22023',
        hint = 'Leave as_of out to run the orchestrator for today in your organisation''s time zone.';
    end if;
  end if;
  v_result := app.run_orchestrator_for_org(v_org, run_orchestrator.as_of, 'manual', (select auth.uid()));
  return v_result;
end;
$$;
comment on function public.run_orchestrator(date) is 'Managers and admins: run the orchestrator for their organisation now (as_of within a day of today); returns {created, superseded, woken, restaged, duration_ms}.';
revoke execute on function public.run_orchestrator(date) from public, anon;
grant execute on function public.run_orchestrator(date) to authenticated;
