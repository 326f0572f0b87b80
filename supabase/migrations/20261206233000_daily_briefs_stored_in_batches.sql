-- The daily briefs are stored in batches the scheduler's call can finish
-- (docs/daily-brief.md "How a brief is made", step 2).
--
-- What and why: the daily-brief function stored every due brief of every organisation in
-- one call of store_daily_briefs. Gathering a person's facts costs ~10 ms, so with four
-- scale organisations due at once (4 754 CSMs) the call ran 45 s, past the 8 s statement
-- timeout of the API's role, and the function answered 500 with nothing stored: a 300 000-
-- customer organisation alone (1 800 CSMs) would miss its briefs every morning. It now
-- takes max_briefs (1 to 1000; null, as before, for all): that many due briefs are stored,
-- and the briefs returned (the day's briefs still without prose) are the newest first, at
-- most that many. The function calls it with 200 until a call returns no brief it has not
-- seen (functions-shared/brief/handler.ts), so a brief whose writing keeps failing is
-- tried once a run and never holds up the others. Restated from 20261204000800 with the
-- new argument (the old two-argument function is dropped so that a call naming
-- profile_id is never ambiguous); the rest is unchanged.

drop function public.store_daily_briefs(timestamptz, uuid);

create function public.store_daily_briefs(
  at timestamptz default now(),
  profile_id uuid default null,
  max_briefs integer default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_at timestamptz := coalesce(store_daily_briefs.at, now());
begin
  if store_daily_briefs.profile_id is not null
     and not exists (select 1 from app.profiles p where p.id = store_daily_briefs.profile_id and p.deactivated_at is null) then
    raise exception 'No active person has this id' using errcode = 'PT404';
  end if;
  if store_daily_briefs.max_briefs is not null and store_daily_briefs.max_briefs not between 1 and 1000 then
    raise exception 'max_briefs must be between 1 and 1000' using errcode = '22023',
      hint = 'Leave it out to store every due brief at once.';
  end if;

  with due as (
    -- On request, one person now (whatever the hour); else everyone whose brief time has come
    -- (at most max_briefs of them: the next call takes the next ones).
    select p.org_id, p.id as profile_id, (v_at at time zone s.time_zone)::date as brief_date
      from app.profiles p join app.organisation_settings s on s.org_id = p.org_id
     where p.id = store_daily_briefs.profile_id
    union all
    (select d.org_id, d.profile_id, d.brief_date from app.due_daily_briefs(v_at) d
      where store_daily_briefs.profile_id is null
      order by d.org_id, d.profile_id
      limit store_daily_briefs.max_briefs)
  ),
  framed as (
    select due.*, coalesce((select max(b.generated_at) from app.daily_briefs b
                             where b.profile_id = due.profile_id and b.brief_date < due.brief_date),
                           v_at - interval '1 day') as since
      from due
  )
  insert into app.daily_briefs (org_id, profile_id, brief_date, since, generated_at, facts)
  select f.org_id, f.profile_id, f.brief_date, f.since, v_at,
         app.daily_brief_facts(f.org_id, f.profile_id, f.since, f.brief_date)
    from framed f
  on conflict (profile_id, brief_date) do nothing;

  -- The day's briefs that still have no prose: the ones just stored first, then any whose
  -- writing failed (at most max_briefs).
  return coalesce((
    select jsonb_agg(jsonb_build_object('brief_id', x.id, 'profile_id', x.profile_id, 'full_name', x.full_name,
                                        'brief_date', x.brief_date, 'facts', x.facts) order by x.generated_at desc, x.id)
      from (select b.id, b.profile_id, p.full_name, b.brief_date, b.facts, b.generated_at
              from app.daily_briefs b join app.profiles p on p.id = b.profile_id
             where b.written_at is null and b.generated_at > v_at - interval '1 day'
               and (store_daily_briefs.profile_id is null or b.profile_id = store_daily_briefs.profile_id)
             order by b.generated_at desc, b.id
             limit store_daily_briefs.max_briefs) x
  ), '[]'::jsonb);
end;
$$;
revoke execute on function public.store_daily_briefs(timestamptz, uuid, integer) from public, anon, authenticated;
grant execute on function public.store_daily_briefs(timestamptz, uuid, integer) to service_role;
comment on function public.store_daily_briefs(timestamptz, uuid, integer) is
  'Service role only: stores the facts of the briefs that are due (at most max_briefs; or one person''s, on request) and returns the briefs still to be written, newest first.';
