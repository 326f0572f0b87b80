-- The answers kept under idempotency keys (app.answered_requests, 20261208100000) are
-- forgotten after a week, by a daily pg_cron job, as processed webhook ids are after 30 days.
--
-- What and why: every keyed press of Cancel, Complete, Wake, Withdraw, Resolve or a task's
-- action keeps one row, and nothing removed them, so the table grew with every press for
-- as long as the organisation used Renubu. A key only matters while its request may still
-- be sent again: the web app matches an unanswered request to its key for 24 hours
-- (web/src/lib/pendingKeys.ts, KEEP_MS), so a week leaves a wide margin. A request sent
-- again after its answer was forgotten is decided afresh by the call's own checks: the work
-- it changed is no longer in the state the call needs, so it is refused (PT409), never
-- applied twice.
-- supabase/tests/scheduled_jobs/answered_requests_are_forgotten_after_a_week.test.sql.

create index answered_requests_created_at_idx on app.answered_requests (created_at);

create function app.forget_answered_requests(older_than interval default interval '7 days')
returns integer
language plpgsql
set search_path = ''
as $$
declare
  removed integer;
begin
  delete from app.answered_requests a where a.created_at < now() - forget_answered_requests.older_than;
  get diagnostics removed = row_count;
  return removed;
end;
$$;
comment on function app.forget_answered_requests(interval) is
  'Forgets the answers kept under idempotency keys older than the given age (default 7 days; the web app replays a key for 24 hours); returns how many.';
revoke execute on function app.forget_answered_requests(interval) from public, anon, authenticated;
grant execute on function app.forget_answered_requests(interval) to service_role;

select cron.schedule('forget-answered-requests', '27 3 * * *', $$select app.forget_answered_requests()$$);
