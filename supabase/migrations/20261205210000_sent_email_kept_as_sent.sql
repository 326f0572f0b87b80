-- An email that was sent, or is on its way, is kept as it went out
-- (docs/business-rules.md "Email is sent once").
--
-- What and why: a draft that had been sent could still be edited. Its card then showed
-- "v2" with the new text under the badge "Sent <when>", though v2 never went out: the
-- list said an email had been sent that nobody received. The same happened to a draft
-- edited while its email waited in the outbox, which holds the text as it was when queued.
-- Once a draft is handed to the outbox (queued, sending, or sent) its title and content no
-- longer change, on every path (a row trigger, PT409); to write again, one asks the
-- assistant for a new draft or writes one. Metadata (provenance, the approval log) may
-- still change. A send that failed or was cancelled leaves the draft editable.

create or replace function app.sent_artifacts_keep_their_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.sent_at is not null
     or exists (select 1 from app.email_outbox o
                 where o.artifact_id = old.id and o.org_id = old.org_id and o.status in ('queued', 'sending')) then
    raise exception 'This email was sent (or is on its way) and is kept as it went out' using errcode = 'PT409',
      hint = 'Ask the assistant for a new draft, or write one, to send something else.';
  end if;
  return new;
end;
$$;

create trigger workflow_task_artifacts_sent_keep_their_text
  before update of title, content on app.workflow_task_artifacts
  for each row
  when (new.title is distinct from old.title or new.content is distinct from old.content)
  execute function app.sent_artifacts_keep_their_text();
