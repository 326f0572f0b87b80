-- One copy of an email on its way at a time, whichever call queues it (docs/business-rules.md
-- "Email is sent once").
--
-- What and why: since 20261212130000 a resend while a copy of the draft is queued or being
-- sent is PT409 "Cannot send this email again: it is on its way"; retry_outbox_message asked
-- only whether the draft had been sent again since the failed copy (a newer copy). A draft
-- sent, failed, sent again and failed again had two failed copies: retrying the older queued
-- it, and retrying the newer then queued that one too, so the drain delivered the same email
-- to the customer twice. The rule is now written once, app.refuse_email_on_its_way (any other
-- copy of the draft queued or sending), and asked by the send (as before, in its words) and by
-- the retry, which takes the draft's lock first, so two retries at once are served one after
-- the other and the second sees the first's copy queued.
-- Restated whole: app.action_send_email from 20261212130000 (its on-its-way check the one
-- change) and public.retry_outbox_message from 20261206323000 (the added refusal).
-- supabase/tests/retry_outbox_message/a_retry_waits_for_another_copy_on_its_way.test.sql.

create function app.refuse_email_on_its_way(artifact_id uuid, other_than uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if exists (select 1 from app.email_outbox o
              where o.artifact_id = refuse_email_on_its_way.artifact_id
                and o.id is distinct from refuse_email_on_its_way.other_than
                and o.status in ('queued', 'sending')) then
    raise exception 'Cannot send this email again: it is on its way' using errcode = 'PT409',
      hint = 'Wait until Sent mail shows it sent, then send it again if it is still needed.';
  end if;
end;
$$;
comment on function app.refuse_email_on_its_way(uuid, uuid) is
  'The one rule for a draft''s email going out again (a resend, a retry): PT409 while another copy of it (not other_than) is queued or being sent.';
revoke execute on function app.refuse_email_on_its_way(uuid, uuid) from public, anon;
grant execute on function app.refuse_email_on_its_way(uuid, uuid) to authenticated;

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
    -- "its subject differs", "its recipients differ", "its recipients and subject differ"
    raise exception 'Cannot send this email: its % % from the approved draft', array_to_string(v_overrides, ' and '),
      case when v_overrides = array['subject'] then 'differs' else 'differ' end
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
  -- A resend is for an email that went out: one still on its way would only be queued twice.
  perform app.refuse_email_on_its_way(v_art.id, null);
  -- The text is the draft's body, as every screen shows it; never HTML no screen shows.
  if app.trimmed(v_art.content ->> 'body') is null then
    raise exception 'Cannot send this email: the draft has no text' using errcode = '22023',
      hint = 'Write the message in the draft''s body, then send it.';
  end if;
  if v_requires_approval then
    v_to := app.email_list(v_art.content -> 'to');
    v_cc := app.email_list(nullif(v_art.content -> 'cc', '""'::jsonb));
    v_subject := coalesce(app.trimmed(v_art.content ->> 'subject'), v_art.title);
  else
    v_to := app.email_list(coalesce(params -> 'to', v_art.content -> 'to'));
    v_cc := app.email_list(nullif(coalesce(params -> 'cc', v_art.content -> 'cc'), '""'::jsonb));
    v_subject := coalesce(app.trimmed(params ->> 'subject'), app.trimmed(v_art.content ->> 'subject'), v_art.title);
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
  -- The workflow first (its assignee's workload, then its row), as a send of the draft
  -- takes them: taken after the draft, a send waiting for the draft deadlocked with this.
  if o.execution_id is not null then
    perform app.lock_execution(o.execution_id, 'send email on');
  end if;
  -- The draft next, then the row: an edit, a withdrawal or a delete of the draft (which
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
  -- Another copy of the draft on its way (an older failed copy retried first): this one
  -- would be delivered beside it.
  perform app.refuse_email_on_its_way(o.artifact_id, o.id);
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
  'Re-queues a failed email (attempts start again) for the scheduled drain; only for those who may send it, never after it was re-sent or while another copy of its draft is on its way, never on an escalated workflow.';
revoke execute on function public.retry_outbox_message(uuid) from public, anon;
grant execute on function public.retry_outbox_message(uuid) to authenticated;
