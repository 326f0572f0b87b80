-- A repeated key with a different request is a conflict, not a silent replay
-- (docs/api-contract.md "Errors"; docs/branches-and-proposals.md; docs/ai-assistant.md).
--
-- What and why: decide_proposal with an idempotency key already used for an approval, but
-- with other params, answered the first decision as a replay (200, replayed: true): the
-- caller believed their edited params were taken when the first ones had been executed.
-- post_chat_message did the same for a client_message_id sent again with another text.
-- execute_action already answers PT409 "this key was used for a different request"; both
-- now do the same. Nothing was ever applied twice; this is about telling the caller.
-- Both functions are restated whole (migrations are append-only); only the replay check
-- changed.

create or replace function public.decide_proposal(
  proposal_id uuid,
  approve boolean,
  params jsonb default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  p app.action_proposals;
  v_params jsonb;
  v_action jsonb;
  v_key text := decide_proposal.idempotency_key;
begin
  if decide_proposal.proposal_id is null or decide_proposal.approve is null then
    raise exception 'proposal_id and approve are required' using errcode = '22023';
  end if;
  if decide_proposal.params is not null and jsonb_typeof(decide_proposal.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  if v_key is not null and (btrim(v_key) = '' or length(v_key) > 200) then
    raise exception 'idempotency_key must be 1 to 200 characters' using errcode = '22023';
  end if;
  if not decide_proposal.approve and decide_proposal.params is not null then
    raise exception 'params are for an approval; a rejection executes nothing' using errcode = '22023';
  end if;

  p := app.lock_proposal_for_decision(decide_proposal.proposal_id);

  if p.status <> 'proposed' then
    -- The same decision again, by the same person with the same key: its stored outcome.
    if p.decided_by = (select auth.uid()) and v_key is not null and p.idempotency_key = v_key
       and (p.status = 'approved') = decide_proposal.approve then
      -- … with the same params (none sent means the proposal's own, as on approval)
      if decide_proposal.approve and coalesce(decide_proposal.params, p.params) is distinct from p.decided_params then
        raise exception 'this key was used for a different request' using errcode = 'PT409',
          hint = 'A retry repeats the same decision with the same params; a new decision needs a new idempotency key.';
      end if;
      return jsonb_build_object('proposal', app.proposal_json(p), 'action', case when p.action_execution_id is null then null
               else public.execute_action(p.action_key, p.execution_id, p.decided_params, 'proposal:' || p.id) end,
               'replayed', true);
    end if;
    raise exception 'This proposal was already %', p.status using errcode = 'PT409',
      hint = 'Only a proposal still waiting can be approved or rejected.';
  end if;
  if p.expires_at <= now() then
    raise exception 'This proposal expired on %', to_char(p.expires_at, 'YYYY-MM-DD') using errcode = 'PT409',
      hint = 'Ask the assistant again, or run the action yourself.';
  end if;

  if decide_proposal.approve then
    v_params := coalesce(decide_proposal.params, p.params);
    -- The action's own key is the proposal's: one proposal is executed at most once.
    v_action := public.execute_action(p.action_key, p.execution_id, v_params, 'proposal:' || p.id);
    p := app.record_proposal_decision(p.id, true, v_params, (v_action ->> 'action_execution_id')::uuid, v_key);
  else
    p := app.record_proposal_decision(p.id, false, null, null, v_key);
  end if;
  return jsonb_build_object('proposal', app.proposal_json(p), 'action', v_action, 'replayed', false);
end;
$$;

create or replace function public.post_chat_message(thread_id uuid, content text, client_message_id text)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  thread app.workflow_chat_threads;
  replayed jsonb;
  prompt jsonb;
begin
  if post_chat_message.content is null or btrim(post_chat_message.content) = '' then
    raise exception 'content must not be empty' using errcode = '22023', hint = 'Type a message.';
  end if;
  if length(post_chat_message.content) > 20000 then
    raise exception 'content is longer than 20000 characters' using errcode = '22023', hint = 'Shorten the message.';
  end if;
  if post_chat_message.client_message_id is null or btrim(post_chat_message.client_message_id) = ''
     or length(post_chat_message.client_message_id) > 200 then
    raise exception 'client_message_id must be 1 to 200 characters' using errcode = '22023',
      hint = 'Generate one id per message on the client (a UUID) and reuse it when retrying the same send.';
  end if;

  thread := app.chat_thread_for_write(post_chat_message.thread_id);
  replayed := app.replayed_chat_exchange(thread.id, post_chat_message.client_message_id);
  if replayed is not null then
    -- a retry sends the same message; another text under the same id is another request
    if replayed -> 'user_message' ->> 'content' is distinct from post_chat_message.content then
      raise exception 'this client_message_id was used for a different message' using errcode = 'PT409',
        hint = 'Generate a new client_message_id for each new message; reuse one only to retry the same send.';
    end if;
    return replayed;
  end if;
  if thread.status <> 'active' then
    raise exception 'This chat is %', thread.status using errcode = 'PT409',
      hint = 'Start a new chat for this step to keep talking.';
  end if;
  -- The prompt before the pair is stored: its history is the earlier turns.
  prompt := app.chat_prompt_for(thread, post_chat_message.content);
  -- The thread's totals are updated when the reply finishes (both messages at once).
  return app.insert_chat_exchange(thread, post_chat_message.content, post_chat_message.client_message_id)
         || jsonb_build_object('prompt', prompt);
end;
$$;
