-- A person's first brief says it is their first (docs/daily-brief.md "Reading it").
--
-- What and why: a brand-new CSM's first brief, on a clear queue, said "nothing changed since
-- your last brief" though they never had one, and the web app "from 0 facts" beside it. The
-- database knows: a brief is a person's first when they have no brief of an earlier day
-- (app.is_first_daily_brief, the one rule). store_daily_briefs hands it to the daily-brief
-- function with each brief ('first'), whose built-in wording then opens with "This is your
-- first brief" and never speaks of a last one; get_daily_brief returns it too ('first'), so
-- the web app and the MCP tool can say so.
-- store_daily_briefs restated whole from 20261206233000 and get_daily_brief from
-- 20261207100000; the 'first' key of each answer is the one change.

create function app.is_first_daily_brief(profile_id uuid, brief_date date)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  return not exists (select 1 from app.daily_briefs b
                      where b.profile_id = is_first_daily_brief.profile_id
                        and b.brief_date < is_first_daily_brief.brief_date);
end;
$$;
comment on function app.is_first_daily_brief(uuid, date) is
  'Whether the brief of this person and date is their first: they have no brief of an earlier day.';
grant execute on function app.is_first_daily_brief(uuid, date) to authenticated, service_role;

create or replace function public.store_daily_briefs(
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
                                        'brief_date', x.brief_date, 'facts', x.facts,
                                        'first', app.is_first_daily_brief(x.profile_id, x.brief_date)) order by x.generated_at desc, x.id)
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
  'Service role only: stores the facts of the briefs that are due (at most max_briefs; or one person''s, on request) and returns the briefs still to be written, newest first, each saying whether it is the person''s first.';

create or replace function public.get_daily_brief(brief_date text default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_date date := app.date_param(jsonb_build_object('brief_date', get_daily_brief.brief_date), 'brief_date');
begin
  return (
    select jsonb_build_object(
             'id', b.id, 'brief_date', b.brief_date, 'generated_at', b.generated_at, 'since', b.since,
             'facts', b.facts, 'first', app.is_first_daily_brief(b.profile_id, b.brief_date), 'text', b.text, 'sentences', b.sentences, 'model', b.model, 'written_at', b.written_at,
             'items', coalesce((select jsonb_agg(f) from jsonb_array_elements(b.facts) f where f ->> 'kind' = 'top_item'), '[]'::jsonb))
      from app.daily_briefs b
     where b.profile_id = (select auth.uid())
       and (v_date is null or b.brief_date = v_date)
     order by b.brief_date desc
     limit 1
  );
end;
$$;
comment on function public.get_daily_brief(text) is
  'The caller''s daily brief (the newest when brief_date is null): facts, sentences citing them, the top items, and whether it is the person''s first brief; null when there is none. brief_date is ISO 8601 (YYYY-MM-DD).';
revoke execute on function public.get_daily_brief(text) from public, anon;
grant execute on function public.get_daily_brief(text) to authenticated;
