-- An email delivered to the local mail sink joins the customer's history, as one sent by SMTP
-- does (docs/ai-assistant.md, the history index).
--
-- What and why: app.index_email_history indexed an outbox row once its status was 'sent'; a
-- stack without SMTP delivers every email to the local mail sink ('delivered_to_sink', the
-- Sent mail page's message), so no email was ever history there: the history chat could not
-- cite one and the customer page's search did not find it, though the workflow page says it
-- was sent. Now both delivered statuses are indexed, and those already delivered to the
-- sink are indexed here.
-- app.index_email_history restated whole from 20261204000400_engagement_and_usage.sql; the
-- trigger (email_outbox_index_history, on status, subject and body_text) is unchanged.
-- Test: supabase/tests/search_customer_history/an_email_delivered_to_the_mail_sink_is_history.test.sql.

create or replace function app.index_email_history()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  -- Delivered: by SMTP ('sent') or to the local mail sink ('delivered_to_sink'), as the
  -- workflow page's send state (app.artifact_send_state) counts it.
  if new.status in ('sent', 'delivered_to_sink') and new.execution_id is not null
     and (tg_op = 'INSERT' or old.status is distinct from new.status or old.subject is distinct from new.subject
          or old.body_text is distinct from new.body_text) then
    insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
    select new.org_id, e.customer_id, 'email', new.id, coalesce(new.sent_at, now()),
           left(new.subject, 500),
           left(concat_ws(E'\n', 'To: ' || array_to_string(new.to_addresses, ', '), new.body_text), 60000)
      from app.workflow_executions e
     where e.id = new.execution_id and e.org_id = new.org_id
    on conflict (source_kind, source_id) do update
       set occurred_at = excluded.occurred_at, title = excluded.title, body = excluded.body
     where h.org_id = excluded.org_id;
  end if;
  return null;
end;
$$;

-- What was delivered to the sink before this release, indexed as the trigger would have.
insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
select o.org_id, e.customer_id, 'email', o.id, coalesce(o.sent_at, o.updated_at, o.created_at),
       left(o.subject, 500),
       left(concat_ws(E'\n', 'To: ' || array_to_string(o.to_addresses, ', '), o.body_text), 60000)
  from app.email_outbox o
  join app.workflow_executions e on e.id = o.execution_id and e.org_id = o.org_id
 where o.status = 'delivered_to_sink'
on conflict (source_kind, source_id) do nothing;
