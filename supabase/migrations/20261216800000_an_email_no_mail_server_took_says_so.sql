-- A draft whose email went to no mail server says so, not "Sent" (docs/workflow-engine.md
-- "Sending email", docs/web-app.md).
--
-- What and why: without SMTP set up (SMTP_HOST), the send side effect delivers to the mail
-- sink: the outbox row is 'delivered_to_sink' and the Sent mail page says "Not sent (no mail
-- server)", the action's result "Email not sent, as no mail server is set up". The draft's own
-- card said "Sent 8 Dec, 00:58" all the same, as app.artifact_send_state answered 'sent' for
-- any draft with sent_at set: a CSM reading the workflow believed the customer had it.
-- Now a draft whose every delivery went to the sink is 'no_mail_server'. It is kept as it was
-- handed over, as a sent one is (sending it again asks first): only the words change. A draft
-- delivered by SMTP at least once is 'sent'; queued and failed are as before.
-- Restated from 20261208300100 (PL/pgSQL, as per-row shapes are); one more probe of
-- email_outbox_artifact_id_idx for a draft with sent_at set.
-- supabase/tests/get_workflow_execution/a_draft_no_mail_server_took_says_so.test.sql.

create or replace function app.artifact_send_state(artifact_id uuid, org_id uuid, sent_at timestamptz)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  if artifact_send_state.sent_at is not null then
    return case when exists (select 1 from app.email_outbox o
                              where o.artifact_id = artifact_send_state.artifact_id and o.org_id = artifact_send_state.org_id
                                and o.status = 'delivered_to_sink')
                 and not exists (select 1 from app.email_outbox o
                                  where o.artifact_id = artifact_send_state.artifact_id and o.org_id = artifact_send_state.org_id
                                    and o.status = 'sent')
                then 'no_mail_server' else 'sent' end;
  end if;
  return (
    select case when o.status in ('queued', 'sending') then 'queued'
                when o.status = 'sent' then 'sent'
                when o.status = 'delivered_to_sink' then 'no_mail_server'
                when o.status = 'failed' then 'failed' end
      from app.email_outbox o
     where o.artifact_id = artifact_send_state.artifact_id and o.org_id = artifact_send_state.org_id
     order by o.status in ('queued', 'sending') desc, o.created_at desc
     limit 1);
end;
$$;
comment on function app.artifact_send_state(uuid, uuid, timestamptz) is
  'Where an artifact''s email is: queued (waiting in the outbox), sent (delivered by SMTP), no_mail_server (handed over, but no mail server took it: the mail sink), failed (its newest send failed), or null (never sent).';
