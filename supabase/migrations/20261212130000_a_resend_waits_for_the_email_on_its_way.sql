-- Sending an approved email again (`resend: true`) waits for the copy on its way
-- (docs/business-rules.md "Email is sent once").
--
-- What and why: a send of a draft already sent or in the outbox was refused unless it said
-- `resend: true`, and with it every press queued another copy, also while the first was still
-- queued or being sent: six sends of one draft, five of them resends made before the drain
-- ran, put six identical emails to the customer in the outbox. Now a resend while a copy is
-- queued or sending is PT409 "Cannot send this email again: it is on its way" and queues
-- nothing; once the email went out (sent, or delivered to the local sink) or failed, a resend
-- goes as before. Restated whole from 20261208203000_a_send_says_its_subject_differs.sql;
-- the refusal after the resend check is the one change.
-- tests/hardening/a-resend-waits-for-the-email-on-its-way.test.ts.

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
  if found and v_prior in ('queued', 'sending') then
    raise exception 'Cannot send this email again: it is on its way' using errcode = 'PT409',
      hint = 'Wait until Sent mail shows it sent, then send it again if it is still needed.';
  end if;
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
