-- When a logged activity happened is ISO 8601, never a text PostgreSQL reads its own way:
-- log_engagement took occurred_at as a timestamptz, converted before the function ran, so
-- '2026-12-06 09:00 UTC+5' (sent to the API by a script or an integration of a person's) was
-- read as a POSIX zone, five hours west of UTC, and the call stood on the timeline at 14:00
-- UTC instead of 04:00; 'yesterday' and '12/01/2026' (read month first) were taken too. The
-- same class as an organisation's time zone (20261206284000) and a task's due date
-- (20261206352000). Now occurred_at is text read by app.timestamp_param, the rule of every
-- date a request sends (a date, or a date and time with Z or an offset such as +05:00;
-- anything else is 22023 naming occurred_at). Callers send the same JSON: the web app sends
-- toISOString(), the MCP tool an ISO date and time it has checked.
-- public.log_engagement restated whole from 20261206271000_a_logged_activity_is_logged_once_per_request.sql;
-- occurred_at's type and reading are the only change (app.log_engagement is unchanged).
-- Test: supabase/tests/engagement/a_logged_time_is_iso_8601.test.sql.

drop function public.log_engagement(uuid, text, timestamptz, text, jsonb, text);
create function public.log_engagement(
  customer_id uuid,
  kind text,
  occurred_at text,
  summary text,
  details jsonb default '{}'::jsonb,
  idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  return app.log_engagement(log_engagement.customer_id, log_engagement.kind,
                            app.timestamp_param(jsonb_build_object('occurred_at', log_engagement.occurred_at), 'occurred_at'),
                            log_engagement.summary, log_engagement.details, log_engagement.idempotency_key);
end;
$$;
comment on function public.log_engagement(uuid, text, text, text, jsonb, text) is
  'Logs a note, call, meeting or email with a customer (csm, manager, admin; not viewers); occurred_at is ISO 8601. With an idempotency_key, the same request again answers the entry it made; another request with that key is PT409.';
revoke execute on function public.log_engagement(uuid, text, text, text, jsonb, text) from public, anon;
grant execute on function public.log_engagement(uuid, text, text, text, jsonb, text) to authenticated;
