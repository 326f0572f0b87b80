-- An email goes out as it was approved, by someone other than whoever wrote it
-- (docs/business-rules.md "Email is sent once" and "Four eyes on email").
--
-- What and why: an attacker's review found five ways around the approval of an email (and a second review the races between them).
--  1. Whoever edited a colleague's draft could approve it: approve_artifact compared only
--     the draft's creator. Now the person who wrote the CURRENT text may not approve it:
--     whoever first wrote exactly that title and content (its creator, or the colleague
--     who rewrote it; putting someone's words back does not make them yours)
--     (app.artifact_text_author, one rule for the server and, through `written_by` on the
--     workflow's artifacts (migration 20261205220000), for the screens).
--  2. What was sent was not what the approver read: the outbox took `html` (never shown)
--     and `text` when `body` was missing, while the screens showed `body_text` or
--     `message`. An email draft now holds exactly to, cc, subject and body (a row trigger,
--     22023 on any other key, on every path that writes one), and the send takes `body`,
--     never HTML; a draft without text is not sent.
--  3. The outbox never looked back at the draft: a failed send, retried after the draft was
--     edited (its approval withdrawn), delivered the old text; a send waiting in the queue
--     went out after its approval was withdrawn; and a retry went out on an escalated
--     workflow, where every action waits. Now changing a draft's text cancels its failed
--     send, withdrawing an approval cancels its queued or failed send (PT409 while one is
--     being delivered, or once it was sent), deleting a draft cancels its failed send, and
--     a retry on an escalated workflow is refused (PT409) as execute_action is, and the
--     drain leaves an escalated workflow's mail queued until the decision. The draft is
--     the lock every one of these takes first (then its sends), so two of them racing
--     are serialised and the second sees what the first committed.
--  4. A sent or queued draft could be deleted, taking its versions and approval log with
--     it: now PT409, as edits are (migration 20261205210000), with the test of "sent or on
--     its way" defined once (app.email_is_sent_or_on_its_way).
--  5. A cc the approver saw was dropped when one address in it was not valid: now the send
--     is refused (22023), as for `to`.
-- Functions restated whole (migrations are append-only).

-- ------------------------------------------------------------------ who wrote the text
-- The author of an artifact's current title and content: whoever FIRST wrote exactly this
-- text — the editor of the earliest version holding it (version 1 is the creator's, written
-- by app.store_new_artifact for every artifact). A metadata-only edit (which also adds a
-- version) makes nobody an author, and putting someone's words back does not make them
-- yours: the author stays the one who wrote them.
create or replace function app.artifact_text_author(a app.workflow_task_artifacts)
returns uuid
language sql
stable
set search_path = ''
as $$
  select coalesce((select v.edited_by from app.workflow_task_artifact_versions v
                    where v.artifact_id = a.id and v.org_id = a.org_id
                      and (v.title, v.content) is not distinct from (a.title, a.content)
                    order by v.version limit 1),
                  a.created_by)
$$;
revoke execute on function app.artifact_text_author(app.workflow_task_artifacts) from public, anon;
grant execute on function app.artifact_text_author(app.workflow_task_artifacts) to authenticated, service_role;
comment on function app.artifact_text_author(app.workflow_task_artifacts) is
  'Who first wrote the artifact''s current title and content (the earliest version holding them), or its creator.';

-- ------------------------------------------------------------- sent or on its way
create or replace function app.email_is_sent_or_on_its_way(a app.workflow_task_artifacts)
returns boolean
language sql
stable
set search_path = ''
as $$
  select a.sent_at is not null
      or exists (select 1 from app.email_outbox o
                  where o.artifact_id = a.id and o.org_id = a.org_id
                    and o.status in ('queued', 'sending', 'sent', 'delivered_to_sink'))
$$;
revoke execute on function app.email_is_sent_or_on_its_way(app.workflow_task_artifacts) from public, anon;
grant execute on function app.email_is_sent_or_on_its_way(app.workflow_task_artifacts) to authenticated, service_role;
comment on function app.email_is_sent_or_on_its_way(app.workflow_task_artifacts) is
  'True once a draft''s email was delivered, or waits in the outbox or is being delivered.';

-- The text of a sent email stays as it went out (from migration 20261205210000; the test of
-- "sent or on its way" now the shared one).
create or replace function app.sent_artifacts_keep_their_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if app.email_is_sent_or_on_its_way(old) then
    raise exception 'This email was sent (or is on its way) and is kept as it went out' using errcode = 'PT409',
      hint = 'Ask the assistant for a new draft, or write one, to send something else.';
  end if;
  return new;
end;
$$;

-- -------------------------------------------------------- held while escalated
-- An escalated workflow waits for a decision: no action runs on it (execute_action), and
-- none of its email goes out — not a retry, not the drain's next attempt — until it is
-- decided. A row that is being delivered already is not stopped.
create or replace function app.email_waits_for_a_decision(execution_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from app.workflow_executions e
                  where e.id = email_waits_for_a_decision.execution_id and e.status = 'escalated')
$$;
revoke execute on function app.email_waits_for_a_decision(uuid) from public, anon;
grant execute on function app.email_waits_for_a_decision(uuid) to authenticated, service_role;
comment on function app.email_waits_for_a_decision(uuid) is
  'True while the email''s workflow is escalated: its mail waits, as its actions do.';

-- ----------------------------------------------------------- cancel what is not sent
-- Cancels a draft's sends that have not gone out: the failed ones, and (when withdrawing an
-- approval) the queued ones; the action log's send_email effect follows. Security definer:
-- people cannot write the action log; callers have already checked the caller may change
-- the draft. Returns how many were cancelled.
create or replace function app.cancel_unsent_email(artifact_id uuid, org_id uuid, statuses text[], reason text)
returns integer
language plpgsql
volatile
security definer -- the action log is written by definer helpers only; callers checked access
set search_path = ''
as $$
declare
  o app.email_outbox;
  n integer := 0;
begin
  for o in
    update app.email_outbox x
       set status = 'cancelled', next_attempt_at = now(), lease_token = null, lease_expires_at = null,
           last_error = left(cancel_unsent_email.reason, 480)
     where x.artifact_id = cancel_unsent_email.artifact_id and x.org_id = cancel_unsent_email.org_id
       and x.status = any (cancel_unsent_email.statuses)
       and x.status in ('queued', 'failed')
    returning x.*
  loop
    perform app.sync_send_email_effect(o);
    n := n + 1;
  end loop;
  return n;
end;
$$;
revoke execute on function app.cancel_unsent_email(uuid, uuid, text[], text) from public, anon;
grant execute on function app.cancel_unsent_email(uuid, uuid, text[], text) to authenticated, service_role;
comment on function app.cancel_unsent_email(uuid, uuid, text[], text) is
  'Cancels the queued or failed sends of a draft (never one being delivered or delivered), with the reason as their last error.';

-- A draft whose text changed no longer matches a failed send of its old text: that send is
-- cancelled, so a retry cannot deliver words nobody approved.
create or replace function app.artifacts_changed_text_cancels_failed_send()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.cancel_unsent_email(new.id, new.org_id, array['failed'], 'The draft was changed after this send failed');
  return null;
end;
$$;

create trigger workflow_task_artifacts_changed_text_cancels_failed_send
  after update of title, content on app.workflow_task_artifacts
  for each row
  when (new.artifact_type = 'email_draft' and (new.title is distinct from old.title or new.content is distinct from old.content))
  execute function app.artifacts_changed_text_cancels_failed_send();

-- ------------------------------------------------------------ what an email draft holds
-- What the approver reads is what is sent: to, cc, subject and body (plain text), nothing
-- the screens do not show. Checked on every write of an email draft's content.
create or replace function app.email_drafts_hold_what_is_shown()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_key text;
begin
  if tg_op = 'UPDATE' and new.content is not distinct from old.content then
    return new;
  end if;
  if jsonb_typeof(new.content) <> 'object' then
    raise exception 'An email draft''s content must be a JSON object with to, cc, subject and body' using errcode = '22023';
  end if;
  select k into v_key from jsonb_object_keys(new.content) k where k not in ('to', 'cc', 'subject', 'body') limit 1;
  if v_key is not null then
    raise exception 'An email draft holds to, cc, subject and body; content.% is not one of them', v_key using errcode = '22023',
      hint = 'What the approver reads is what is sent: write the whole message, as plain text, in body.';
  end if;
  select k into v_key from jsonb_each(new.content) e(k, v)
   where (k in ('subject', 'body') and jsonb_typeof(v) not in ('string', 'null'))
      or (k in ('to', 'cc') and jsonb_typeof(v) not in ('string', 'array', 'null'))
   limit 1;
  if v_key is not null then
    raise exception 'content.% of an email draft must be %', v_key,
      case when v_key in ('to', 'cc') then 'an address or a list of addresses' else 'text' end using errcode = '22023';
  end if;
  return new;
end;
$$;

create trigger workflow_task_artifacts_email_drafts_hold_what_is_shown
  before insert or update of content on app.workflow_task_artifacts
  for each row
  when (new.artifact_type = 'email_draft')
  execute function app.email_drafts_hold_what_is_shown();

-- ------------------------------------------------------------------- approve_artifact
create or replace function public.approve_artifact(artifact_id uuid, approved boolean default true)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
  settings app.organisation_settings;
begin
  if approve_artifact.approved is null then
    raise exception 'approved must be true or false' using errcode = '22023', hint = 'Pass false to withdraw an approval.';
  end if;
  artifact := app.artifact_for_write(approve_artifact.artifact_id);

  -- Four eyes: where approval is required, whoever wrote the current text approves it only
  -- when the organisation allows it — the creator, or the colleague who last rewrote it.
  if approve_artifact.approved and app.artifact_text_author(artifact) = (select auth.uid()) then
    select * into settings from app.organisation_settings s where s.org_id = artifact.org_id;
    if coalesce(settings.require_email_approval, true) and not coalesce(settings.allow_self_approval, false) then
      raise exception 'You may not approve a draft whose current text you wrote' using errcode = '42501',
        hint = 'Ask a manager or a colleague to approve it; an admin can allow self-approval in the organisation settings.';
    end if;
  end if;

  -- Approving an approved artifact (or withdrawing an unapproved one) changes nothing.
  if (artifact.approved_by is not null) = approve_artifact.approved then
    return app.artifact_json(artifact);
  end if;

  -- Withdrawing: a send waiting in the queue (or failed) is stopped with it; an email
  -- already delivered, or being delivered now, keeps its approval. Cancel first, then look:
  -- the cancel waits for a drain claiming the row right now, and the look after it (a new
  -- statement, so a new snapshot) sees what that claim committed.
  if not approve_artifact.approved and artifact.artifact_type = 'email_draft' then
    perform app.cancel_unsent_email(artifact.id, artifact.org_id, array['queued', 'failed'], 'Its approval was withdrawn before it went out');
    -- (its queued sends were cancelled just now, so what remains is on its way or sent)
    if app.email_is_sent_or_on_its_way(artifact) then
      raise exception 'This email was sent (or is being delivered now); its approval stays as it went out' using errcode = 'PT409',
        hint = 'To send something else, ask the assistant for a new draft or write one.';
    end if;
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
revoke execute on function public.approve_artifact(uuid, boolean) from public, anon;
grant execute on function public.approve_artifact(uuid, boolean) to authenticated;
comment on function public.approve_artifact(uuid, boolean) is 'Approves an artifact (who, when) or withdraws the approval (stopping an email not yet delivered); both are logged in metadata.approval_log. Whoever wrote the current text may approve it only where the organisation allows it (42501).';

-- -------------------------------------------------------------------- delete_artifact
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
  if artifact.artifact_type = 'email_draft' then
    if app.email_is_sent_or_on_its_way(artifact) then
      raise exception 'This email was sent (or is on its way) and is kept as it went out' using errcode = 'PT409',
        hint = 'Sent mail and the workflow keep it; nothing needs deleting.';
    end if;
    perform app.cancel_unsent_email(artifact.id, artifact.org_id, array['failed'], 'Its draft was deleted');
  end if;
  delete from app.workflow_task_artifacts a where a.id = artifact.id;
  return jsonb_build_object('id', artifact.id, 'deleted', true);
end;
$$;
comment on function public.delete_artifact(uuid) is 'Deletes an artifact and its versions; an email that was sent or is on its way is kept (PT409).';
revoke execute on function public.delete_artifact(uuid) from public, anon;
grant execute on function public.delete_artifact(uuid) to authenticated;

-- --------------------------------------------------------------- retry_outbox_message
create or replace function public.retry_outbox_message(outbox_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
  v_role text := app.current_member_role();
begin
  if retry_outbox_message.outbox_id is null then
    raise exception 'outbox_id is required' using errcode = '22023';
  end if;
  -- Visible first (a plain read), then allowed, then locked: FOR UPDATE would apply the
  -- update policy and answer "not found" where the truth is "not yours".
  select * into o from app.email_outbox x where x.id = retry_outbox_message.outbox_id;
  if not found then
    raise exception 'Email not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see your own organisation''s email.';
  end if;
  if coalesce(v_role, '') not in ('csm', 'manager', 'admin')
     or (v_role = 'csm' and (o.execution_id is null or not app.can_work_on_execution(o.execution_id))) then
    raise exception 'You may not send this email' using errcode = '42501',
      hint = 'The CSM of its workflow, a manager or an admin can retry it.';
  end if;
  -- The draft first, then the row: an edit, a withdrawal or a delete of the draft (which
  -- lock the draft, then its sends) waits for this retry or makes it wait, never both.
  if o.artifact_id is not null then
    perform 1 from app.workflow_task_artifacts a where a.id = o.artifact_id and a.org_id = o.org_id for update;
  end if;
  select * into o from app.email_outbox x where x.id = o.id for update;
  if o.status <> 'failed' then
    raise exception 'Only a failed email can be retried; this one is %', case o.status
        when 'queued' then 'queued' when 'sending' then 'being sent' when 'cancelled' then 'cancelled' else 'already sent' end
      using errcode = 'PT409', hint = 'Sent mail shows its current status.';
  end if;
  if o.artifact_id is not null and exists (
       select 1 from app.email_outbox y
        where y.artifact_id = o.artifact_id and y.id <> o.id and y.created_at > o.created_at
          and y.status in ('queued', 'sending', 'sent', 'delivered_to_sink')) then
    raise exception 'This email was sent again since it failed' using errcode = 'PT409',
      hint = 'Retrying would deliver it twice; see the newer message in Sent mail.';
  end if;
  -- A retry is sending: an escalated workflow waits for a decision, as execute_action says.
  if app.email_waits_for_a_decision(o.execution_id) then
    raise exception 'Cannot send this email now: its workflow is escalated and waits for a decision' using errcode = 'PT409',
      hint = app.escalated_hint();
  end if;

  update app.email_outbox x
     set status = 'queued', attempts = 0, next_attempt_at = now(), lease_token = null, lease_expires_at = null,
         last_error = 'Retried after: ' || left(coalesce(x.last_error, 'a failure'), 480)
   where x.id = o.id
  returning x.* into o;
  perform app.sync_retried_email_effect(o.id);
  if o.execution_id is not null then
    update app.workflow_executions e
       set metadata = app.with_history(e.metadata, jsonb_build_object('event', 'email_retried', 'outbox_id', o.id))
     where e.id = o.execution_id and app.can_work_on_execution(e.id);
  end if;
  return jsonb_build_object('id', o.id, 'status', o.status, 'attempts', o.attempts, 'next_attempt_at', o.next_attempt_at,
                            'last_error', o.last_error, 'artifact_id', o.artifact_id, 'execution_id', o.execution_id);
end;
$$;
comment on function public.retry_outbox_message(uuid) is
  'Re-queues a failed email (attempts start again) for the scheduled drain; only for those who may send it, never after it was re-sent, never on an escalated workflow.';
revoke execute on function public.retry_outbox_message(uuid) from public, anon;
grant execute on function public.retry_outbox_message(uuid) to authenticated;

-- ------------------------------------------------------------------ app.action_send_email
create or replace function app.action_send_email(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_settings app.organisation_settings;
  v_art_id uuid := app.uuid_param(params, 'artifact_id');
  v_art app.workflow_task_artifacts;
  v_requires_approval boolean;
  v_overrides text[];
  v_prior text;
  v_to text[];
  v_cc text[];
  v_subject text;
  v_id uuid;
begin
  if v_art_id is null then
    raise exception 'artifact_id is required: the id of the email draft to send' using errcode = '22023';
  end if;
  if params ? 'resend' and jsonb_typeof(params -> 'resend') <> 'boolean' then
    raise exception 'resend must be true or false' using errcode = '22023';
  end if;
  -- The draft is locked: an edit, an approval or another send of it waits for this one.
  select * into v_art from app.workflow_task_artifacts t where t.id = v_art_id and t.execution_id = e.id for update;
  if not found or v_art.artifact_type <> 'email_draft' then
    raise exception 'artifact_id must be an email draft of this workflow' using errcode = '22023';
  end if;
  select * into v_settings from app.organisation_settings s where s.org_id = e.org_id;
  v_requires_approval := case
    when jsonb_typeof(a.config -> 'requires_approval') = 'boolean' then (a.config ->> 'requires_approval')::boolean
    else coalesce(v_settings.require_email_approval, true) end;
  if v_requires_approval and v_art.approved_at is null then
    raise exception 'Cannot send this email: the draft is not approved' using errcode = 'PT409',
      hint = 'Your organisation requires approval: approve the draft, then send it.';
  end if;
  -- An approval covers the draft's recipients and subject; asking for others is not the
  -- approved email. (The execute-action function then withdraws the approval.)
  v_overrides := app.email_overrides(v_art, params);
  if v_requires_approval and cardinality(v_overrides) > 0 then
    raise exception 'Cannot send this email: its % differ from the approved draft', array_to_string(v_overrides, ' and ')
      using errcode = 'PT409', detail = 'approval_overridden',
      hint = 'Send the draft as approved, or change the draft itself and have it approved again.';
  end if;
  -- Once sent (or on its way), sending it again is an explicit resend.
  select o.status into v_prior from app.email_outbox o
   where o.artifact_id = v_art.id and o.status in ('queued', 'sending', 'sent', 'delivered_to_sink')
   order by o.created_at desc limit 1;
  if found and not coalesce((params ->> 'resend')::boolean, false) then
    raise exception 'Cannot send this email: it was already sent%',
      case when v_prior in ('queued', 'sending') then ' (it is on its way)' else '' end
      using errcode = 'PT409', hint = 'To send it again, pass resend: true.';
  end if;
  -- The text is the draft's body, as every screen shows it; never HTML no screen shows.
  if nullif(btrim(v_art.content ->> 'body'), '') is null then
    raise exception 'Cannot send this email: the draft has no text' using errcode = '22023',
      hint = 'Write the message in the draft''s body, then send it.';
  end if;
  if v_requires_approval then
    v_to := app.email_list(v_art.content -> 'to');
    v_cc := app.email_list(nullif(v_art.content -> 'cc', '""'::jsonb));
    v_subject := coalesce(nullif(btrim(v_art.content ->> 'subject'), ''), v_art.title);
  else
    v_to := app.email_list(coalesce(params -> 'to', v_art.content -> 'to'));
    v_cc := app.email_list(nullif(coalesce(params -> 'cc', v_art.content -> 'cc'), '""'::jsonb));
    v_subject := coalesce(nullif(btrim(params ->> 'subject'), ''), nullif(btrim(v_art.content ->> 'subject'), ''), v_art.title);
  end if;
  if v_to is null or cardinality(v_to) = 0 then
    raise exception 'to is required: the draft has no valid recipient' using errcode = '22023',
      hint = 'Add recipients to the draft.';
  end if;
  -- A copy the approver saw is sent or refused, never dropped: an invalid address in cc
  -- is an error, as one in to is.
  if v_cc is null then
    raise exception 'cc holds an address that is not valid' using errcode = '22023',
      hint = 'Correct or remove it in the draft (or leave cc empty).';
  end if;
  insert into app.email_outbox (org_id, execution_id, artifact_id, action_execution_id, requested_by,
                                to_addresses, cc_addresses, subject, body_text, body_html, status)
  values (e.org_id, e.id, v_art.id, log_id, v_me, v_to, v_cc, v_subject, v_art.content ->> 'body', null, 'queued')
  returning id into v_id;
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'email_queued', 'outbox_id', v_id, 'artifact_id', v_art.id))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params,
    'result', jsonb_build_object('outbox_id', v_id, 'artifact_id', v_art.id, 'to', to_jsonb(v_to),
                                 'cc', to_jsonb(v_cc), 'subject', v_subject, 'status', 'queued',
                                 'resend', coalesce((params ->> 'resend')::boolean, false)),
    'side_effects', jsonb_build_array(jsonb_build_object(
      'type', 'send_email', 'status', 'pending', 'outbox_id', v_id, 'attempts', 0, 'error', null, 'updated_at', now())));
end;
$$;
revoke execute on function app.action_send_email(app.saved_actions, app.workflow_executions, jsonb, uuid) from public, anon;
grant execute on function app.action_send_email(app.saved_actions, app.workflow_executions, jsonb, uuid) to authenticated, service_role;

-- ---------------------------------------------------------- withdraw_overridden_approval
-- From the chat-and-artifacts baseline: a send refused for asking other recipients withdraws
-- the draft's approval — unless its email was already handed to the outbox, whose record
-- (the text and the approval it went out with) stays as it is.
create or replace function public.withdraw_overridden_approval(executed_by uuid, execution_id uuid, params jsonb)
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_art app.workflow_task_artifacts;
  v_overrides text[];
begin
  select t.* into v_art
    from app.workflow_task_artifacts t
    join app.profiles p on p.id = withdraw_overridden_approval.executed_by and p.org_id = t.org_id
   where t.id = app.uuid_param(withdraw_overridden_approval.params, 'artifact_id')
     and t.execution_id = withdraw_overridden_approval.execution_id
     and t.artifact_type = 'email_draft' and t.approved_by is not null
   for update of t;
  if not found or app.email_is_sent_or_on_its_way(v_art) then
    return false;
  end if;
  v_overrides := app.email_overrides(v_art, withdraw_overridden_approval.params);
  if cardinality(v_overrides) = 0 then
    return false;
  end if;
  perform app.cancel_unsent_email(v_art.id, v_art.org_id, array['failed'], 'Its approval was withdrawn before it went out');
  update app.workflow_task_artifacts t
     set approved_by = null, approved_at = null,
         metadata = jsonb_set(t.metadata, '{approval_log}',
           coalesce(t.metadata -> 'approval_log', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
             'approved', false, 'by', withdraw_overridden_approval.executed_by, 'at', now(),
             'reason', 'send asked for other ' || array_to_string(v_overrides, ' and '))))
   where t.id = v_art.id;
  return true;
end;
$$;
comment on function public.withdraw_overridden_approval(uuid, uuid, jsonb) is
  'Service role only: withdraws the approval of a draft whose send asked for other recipients or subject (never of one already handed to the outbox).';
revoke execute on function public.withdraw_overridden_approval(uuid, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.withdraw_overridden_approval(uuid, uuid, jsonb) to service_role;

-- ---------------------------------------------------------------- the drain waits too
-- From the actions-and-outbox baseline: an escalated workflow's mail is not claimed (not a
-- first attempt, not a retry after a failure) until the escalation is decided.
create or replace function public.claim_outbox_message(outbox_id uuid, lease_seconds integer default 300)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
begin
  if claim_outbox_message.outbox_id is null then
    raise exception 'outbox_id is required' using errcode = '22023';
  end if;
  if claim_outbox_message.lease_seconds is null or claim_outbox_message.lease_seconds not between 5 and 3600 then
    raise exception 'lease_seconds must be between 5 and 3600' using errcode = '22023';
  end if;
  perform app.release_expired_outbox_leases();
  -- Skip locked: a row another worker is claiming or finishing right now is not ours.
  select * into o from app.email_outbox x
   where x.id = claim_outbox_message.outbox_id and x.status = 'queued' and x.next_attempt_at <= now()
     and not app.email_waits_for_a_decision(x.execution_id)
   for update skip locked;
  if not found then
    select * into o from app.email_outbox x where x.id = claim_outbox_message.outbox_id;
    if not found then
      raise exception 'Outbox message not found' using errcode = 'PT404';
    end if;
    return jsonb_build_object('claimed', false, 'outbox', app.outbox_json(o),
      'side_effects', (select x.side_effects from app.action_executions x where x.id = o.action_execution_id));
  end if;
  update app.email_outbox x
     set status = 'sending', attempts = x.attempts + 1, lease_token = gen_random_uuid(),
         lease_expires_at = clock_timestamp() + make_interval(secs => claim_outbox_message.lease_seconds)
   where x.id = o.id
  returning x.* into o;
  return jsonb_build_object('claimed', true, 'outbox', app.claimed_outbox_json(o),
                            'side_effects', app.sync_send_email_effect(o));
end;
$$;
comment on function public.claim_outbox_message(uuid, integer) is
  'Service role only: claims one due outbox row for delivery (a lease); {claimed: false, outbox} when it is in flight, done, not due, or its workflow is escalated.';
revoke execute on function public.claim_outbox_message(uuid, integer) from public, anon, authenticated;
grant execute on function public.claim_outbox_message(uuid, integer) to service_role;

create or replace function public.claim_due_outbox_messages(max_messages integer default 20, lease_seconds integer default 300)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
  v_claimed jsonb := '[]'::jsonb;
begin
  if claim_due_outbox_messages.max_messages is null or claim_due_outbox_messages.max_messages not between 1 and 100 then
    raise exception 'max_messages must be between 1 and 100' using errcode = '22023';
  end if;
  if claim_due_outbox_messages.lease_seconds is null or claim_due_outbox_messages.lease_seconds not between 5 and 3600 then
    raise exception 'lease_seconds must be between 5 and 3600' using errcode = '22023';
  end if;
  perform app.release_expired_outbox_leases();
  for o in
    update app.email_outbox x
       set status = 'sending', attempts = x.attempts + 1, lease_token = gen_random_uuid(),
           lease_expires_at = clock_timestamp() + make_interval(secs => claim_due_outbox_messages.lease_seconds)
     where x.id in (select y.id from app.email_outbox y
                     where y.status = 'queued' and y.next_attempt_at <= now()
                       and not app.email_waits_for_a_decision(y.execution_id)
                     order by y.next_attempt_at
                     limit claim_due_outbox_messages.max_messages
                     for update skip locked)
    returning x.*
  loop
    perform app.sync_send_email_effect(o);
    v_claimed := v_claimed || jsonb_build_array(app.claimed_outbox_json(o));
  end loop;
  return v_claimed;
end;
$$;
comment on function public.claim_due_outbox_messages(integer, integer) is
  'Service role only (the outbox drain): claims up to max_messages due outbox rows, each with its lease token; an escalated workflow''s mail waits.';
revoke execute on function public.claim_due_outbox_messages(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_due_outbox_messages(integer, integer) to service_role;

-- Sends queued before this migration could carry HTML no screen showed: what has not gone
-- out yet goes as the text the approver read.
update app.email_outbox set body_html = null where status in ('queued', 'failed') and body_html is not null;
