-- A renewal's stored stage, and with it its workflow's lane, turns within a minute of its
-- organisation's midnight (docs/workflow-engine.md "Lanes").
--
-- What and why: the queue is ordered by the lane stored on each execution
-- (workflow_executions_queue_keyset_idx leads with it), and the lane follows the customer's
-- stored renewal stage, which only app.restamp_renewal_stages moves as days pass. That ran
-- at minute 5 of every UTC hour, so after an organisation's midnight its stages waited for
-- the next run: 5 minutes in a whole-hour time zone, 35 in India (+05:30), up to an hour where
-- midnight falls just after minute 5. Meanwhile a renewal whose decision date had entered the
-- 13-day window read "Critical" (the queue computes the stage shown as of today) but sat in
-- the Soon lane, under work less urgent. Computing the lane when the queue is read would make
-- the page a sort of the whole book instead of a scan of the index that stops after the page
-- (docs/performance.md), so the stored lane stays, and turns on time:
-- - app.stage_restamps: the local day each organisation's stages were last re-stamped for.
-- - app.restamp_stages_at_midnight(): re-stamps (app.restamp_renewal_stages, for one
--   organisation and its today) each organisation whose day has turned since, and notes the
--   day; run every minute by pg_cron (restamp-stages-at-midnight). A run with no organisation
--   past its midnight reads the organisations' settings and their notes, nothing else.
-- - The hourly restamp-renewal-stages stays, for customers a run could not lock (it skips
--   rows a person is changing) and for a day set by hand.
-- supabase/tests/scheduled_jobs/a_renewals_stage_turns_at_the_organisations_midnight.test.sql.

create table app.stage_restamps (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  stamped_for date not null
);
alter table app.stage_restamps enable row level security;
revoke all on table app.stage_restamps from public, anon, authenticated;
grant all on table app.stage_restamps to service_role;
comment on table app.stage_restamps is
  'The local day each organisation''s renewal stages were last re-stamped for by app.restamp_stages_at_midnight.';

create function app.restamp_stages_at_midnight()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  o record;
  n integer := 0;
begin
  for o in
    select s.org_id, app.organisation_today(s.org_id) as today
      from app.organisation_settings s
      left join app.stage_restamps r on r.org_id = s.org_id
     where r.stamped_for is distinct from app.organisation_today(s.org_id)
  loop
    perform app.restamp_renewal_stages(o.today, o.org_id);
    insert into app.stage_restamps as r (org_id, stamped_for) values (o.org_id, o.today)
    on conflict (org_id) do update set stamped_for = excluded.stamped_for;
    n := n + 1;
  end loop;
  return n;
end;
$$;
comment on function app.restamp_stages_at_midnight() is
  'Re-stamps the renewal stages of each organisation whose local day turned since its last re-stamp (pg_cron, every minute); returns how many organisations.';
revoke execute on function app.restamp_stages_at_midnight() from public, anon, authenticated;
grant execute on function app.restamp_stages_at_midnight() to service_role;

select cron.schedule('restamp-stages-at-midnight', '* * * * *', $$select app.restamp_stages_at_midnight()$$);
