-- app.artifact_send_state (migration 20261208300000) is PL/pgSQL, as the per-row shapes are
-- (docs/schema.md): the workflow page and the customer page call it for each artifact of
-- their answer, and a `language sql` helper that sets its search_path is planned again by
-- every statement that calls it. Same rule, same answer; only the language changes.
-- Test: supabase/tests/structure/per_request_helpers_are_plpgsql.test.sql names it.

create or replace function app.artifact_send_state(artifact_id uuid, org_id uuid, sent_at timestamptz)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select case when artifact_send_state.sent_at is not null then 'sent' else (
        select case when o.status in ('queued', 'sending') then 'queued'
                    when o.status in ('sent', 'delivered_to_sink') then 'sent'
                    when o.status = 'failed' then 'failed' end
          from app.email_outbox o
         where o.artifact_id = artifact_send_state.artifact_id and o.org_id = artifact_send_state.org_id
         order by o.status in ('queued', 'sending') desc, o.created_at desc
         limit 1) end
  );
end;
$$;
