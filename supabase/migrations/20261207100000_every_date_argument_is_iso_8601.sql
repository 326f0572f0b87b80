-- Every date a person sends to the API is an ISO 8601 date (YYYY-MM-DD), never a text
-- PostgreSQL reads its own way. get_daily_brief's brief_date, get_renewal_forecast's
-- period_start, period_end and month, get_retention_metrics' period_start and period_end and
-- run_orchestrator's as_of were date parameters, converted by the Data API before the
-- function ran: 'tomorrow', 'today', 'epoch', a Julian day ('J2461000'), a date month first
-- ('12/01/2026': 1 December or 12 January?), 'Dec 1 2026', '20261201' and a date with a time
-- and a POSIX zone ('2026-12-01 10:00 UTC+5') were all taken. The same class as a task's due
-- date and a logged activity's time (20261206352000, 20261206353000), which follow
-- app.timestamp_param; a date argument now follows app.date_param, that rule's date alone:
-- anything else is 22023 naming the argument, and the years 2000 to 2099 as before. A blank
-- date is no date, as in app.timestamp_param. Callers send the same JSON (the web app and the
-- MCP tools send YYYY-MM-DD).
-- The four functions are restated whole from their newest definitions (get_daily_brief:
-- 20261206244000; get_renewal_forecast, get_retention_metrics: 20261205193000;
-- run_orchestrator: 20261204000500); the arguments' type and reading are the only change.
-- supabase/tests/structure/date_arguments_are_iso_8601.test.sql keeps every RPC a person may
-- call free of date and time parameters.

create or replace function app.date_param(params jsonb, name text)
returns date
language plpgsql
stable
set search_path = ''
as $$
declare
  raw text := date_param.params ->> date_param.name;
  v_value date;
begin
  if app.trimmed(raw) is null then -- the blank-text rule: spaces, no-break or zero-width ones
    return null;
  end if;
  -- ISO 8601's calendar date only, as app.timestamp_param's date part: PostgreSQL would also
  -- read 'tomorrow', 'epoch', a Julian day, '12/01/2026' month first or a time and zone.
  if raw !~ '^\s*\d{4}-\d{2}-\d{2}\s*$' then
    raise exception '% must be a date (ISO 8601)', date_param.name using errcode = '22023',
      hint = 'Send a date such as 2026-12-31.';
  end if;
  begin
    v_value := btrim(raw)::date;
  exception when others then -- 2026-02-30 and the like
    raise exception '% must be a date (ISO 8601)', date_param.name using errcode = '22023',
      hint = 'Send a date that exists, such as 2026-12-31.';
  end;
  return app.require_business_date(v_value, date_param.name);
end;
$$;
comment on function app.date_param(jsonb, text) is
  'A date argument as ISO 8601 (YYYY-MM-DD) within the years 2000 to 2099, else 22023 naming it; blank is null. The date half of app.timestamp_param.';
revoke execute on function app.date_param(jsonb, text) from public, anon;
grant execute on function app.date_param(jsonb, text) to authenticated, service_role;

-- The caller's brief ------------------------------------------------------------------------
drop function public.get_daily_brief(date);
create function public.get_daily_brief(brief_date text default null)
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
             'facts', b.facts, 'text', b.text, 'sentences', b.sentences, 'model', b.model, 'written_at', b.written_at,
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
  'The caller''s daily brief (the newest when brief_date is null): facts, sentences citing them, and the top items; null when there is none. brief_date is ISO 8601 (YYYY-MM-DD).';
revoke execute on function public.get_daily_brief(text) from public, anon;
grant execute on function public.get_daily_brief(text) to authenticated;

-- The forecast ------------------------------------------------------------------------------
drop function public.get_renewal_forecast(date, date, uuid, text, integer, date, jsonb);
create function public.get_renewal_forecast(
  period_start text,
  period_end text,
  assignee_id uuid default null,
  category text default null,
  max_items integer default 200,
  month text default null,
  after jsonb default null
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_dates jsonb := jsonb_build_object('period_start', get_renewal_forecast.period_start,
                                      'period_end', get_renewal_forecast.period_end,
                                      'month', get_renewal_forecast.month);
begin
  return app.renewal_forecast_of_my_org(app.date_param(v_dates, 'period_start'), app.date_param(v_dates, 'period_end'),
                                        get_renewal_forecast.assignee_id, get_renewal_forecast.category,
                                        get_renewal_forecast.max_items, app.date_param(v_dates, 'month'),
                                        get_renewal_forecast.after);
end;
$$;
comment on function public.get_renewal_forecast(text, text, uuid, text, integer, text, jsonb) is
  'Renewals with a renewal date in [period_start, period_end): totals by forecast category / outcome (count, current ARR, forecast ARR), by month, and the items, a keyset page at a time (read from totals kept by triggers). Dates are ISO 8601 (YYYY-MM-DD).';
revoke execute on function public.get_renewal_forecast(text, text, uuid, text, integer, text, jsonb) from public, anon;
grant execute on function public.get_renewal_forecast(text, text, uuid, text, integer, text, jsonb) to authenticated;

-- Retention ---------------------------------------------------------------------------------
drop function public.get_retention_metrics(date, date, text);
create function public.get_retention_metrics(period_start text, period_end text, granularity text default 'month')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_step interval;
  v_period_start date;
  v_period_end date;
  v_starts date[];
  v_ends date[];
  v_result jsonb;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read its retention' using errcode = '42501';
  end if;
  if get_retention_metrics.granularity is null or get_retention_metrics.granularity not in ('month', 'quarter') then
    raise exception 'granularity must be month or quarter' using errcode = '22023';
  end if;
  v_step := case get_retention_metrics.granularity when 'month' then interval '1 month' else interval '3 months' end;
  v_period_start := app.date_param(jsonb_build_object('period_start', get_retention_metrics.period_start), 'period_start');
  v_period_end := app.date_param(jsonb_build_object('period_end', get_retention_metrics.period_end), 'period_end');
  if v_period_start is null or v_period_end is null or v_period_end <= v_period_start then
    raise exception 'period_start must be before period_end' using errcode = '22023',
      hint = 'The period is [period_start, period_end), e.g. 2026-01-01 to 2027-01-01 for a year.';
  end if;
  if extract(day from v_period_start) <> 1 or extract(day from v_period_end) <> 1
     or (get_retention_metrics.granularity = 'quarter'
         and (extract(month from v_period_start)::int % 3 <> 1
              or extract(month from v_period_end)::int % 3 <> 1)) then
    raise exception 'period_start and period_end must be the first day of a %', get_retention_metrics.granularity
      using errcode = '22023', hint = 'Retention is measured between month starts (quarters: January, April, July, October).';
  end if;
  if v_period_end > (v_period_start + interval '60 months')::date then
    raise exception 'The period is longer than five years' using errcode = '22023';
  end if;
  if ((extract(year from age(v_period_end, v_period_start)) * 12
       + extract(month from age(v_period_end, v_period_start)))::int
      % (case get_retention_metrics.granularity when 'month' then 1 else 3 end)) <> 0 then
    raise exception 'The period must be whole quarters' using errcode = '22023';
  end if;

  -- The pairs: the whole period; each step; each step's trailing 12 months.
  with steps as (
    select g::date as s, (g + v_step)::date as e
      from generate_series(v_period_start::timestamp, (v_period_end::timestamp - v_step), v_step) g
  ), pairs as (
    select v_period_start as s, v_period_end as e
    union select s, e from steps
    union select (e - interval '12 months')::date, e from steps
  )
  select array_agg(p.s), array_agg(p.e) into v_starts, v_ends from pairs p;

  with sums as materialized (
    select * from app.retention_pairs(v_org, v_starts, v_ends)
  ), steps as (
    select g::date as s, (g + v_step)::date as e
      from generate_series(v_period_start::timestamp, (v_period_end::timestamp - v_step), v_step) g
  )
  select app.retention_figure(t.period_start, t.period_end, t.customers, t.starting_arr, t.expansion, t.contraction, t.churn)
         || jsonb_build_object(
              'granularity', get_retention_metrics.granularity,
              'series', (
                select coalesce(jsonb_agg(
                         app.retention_figure(st.s, st.e, m.customers, m.starting_arr, m.expansion, m.contraction, m.churn)
                         || jsonb_build_object('trailing_12_months',
                              app.retention_figure((st.e - interval '12 months')::date, st.e, y.customers, y.starting_arr,
                                                   y.expansion, y.contraction, y.churn))
                         order by st.s), '[]'::jsonb)
                  from steps st
                  left join sums m on m.period_start = st.s and m.period_end = st.e
                  left join sums y on y.period_start = (st.e - interval '12 months')::date and y.period_end = st.e))
    into v_result
    from sums t
   where t.period_start = v_period_start and t.period_end = v_period_end;
  return v_result;
end;
$$;
comment on function public.get_retention_metrics(text, text, text) is
  'GRR, NRR, starting ARR, expansion, contraction and churn for [period_start, period_end) from ARR history, with a monthly (or quarterly) series and each step''s trailing 12 months. Dates are ISO 8601 (YYYY-MM-DD).';
revoke execute on function public.get_retention_metrics(text, text, text) from public, anon;
grant execute on function public.get_retention_metrics(text, text, text) to authenticated;

-- The orchestrator, run by a person ---------------------------------------------------------
drop function public.run_orchestrator(date);
create function public.run_orchestrator(as_of text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_as_of date;
  v_today date;
  v_result jsonb;
begin
  if v_org is null or not app.has_role('manager', 'admin') then
    raise exception 'Only managers and admins can run the orchestrator' using errcode = '42501',
      hint = 'Ask a manager of your organisation; it also runs every day on its own.';
  end if;
  v_as_of := app.date_param(jsonb_build_object('as_of', run_orchestrator.as_of), 'as_of');
  -- A run on another day opens and supersedes work as of that day; people may only
  -- nudge it across a midnight (their clock and the organisation's may differ by a day).
  if v_as_of is not null and current_user <> 'service_role' then
    v_today := app.organisation_today(v_org);
    if v_as_of not between v_today - 1 and v_today + 1 then
      raise exception 'as_of must be within one day of today (%)', v_today using errcode = '22023',
        hint = 'Leave as_of out to run the orchestrator for today in your organisation''s time zone.';
    end if;
  end if;
  v_result := app.run_orchestrator_for_org(v_org, v_as_of, 'manual', (select auth.uid()));
  return v_result;
end;
$$;
comment on function public.run_orchestrator(text) is
  'Managers and admins: run the orchestrator for their organisation now (as_of, ISO 8601 YYYY-MM-DD, within a day of today); returns {created, superseded, woken, restaged, duration_ms}.';
revoke execute on function public.run_orchestrator(text) from public, anon;
grant execute on function public.run_orchestrator(text) to authenticated;

-- The forecast's cursor: next_after's renewal_date is read by the same rule, so a cursor made
-- by hand with 'tomorrow' is refused as any other that is not a previous answer's. Restated
-- from 20261204001100_revenue.sql; the reading of renewal_date is the only change.
create or replace function app.forecast_after_keys(after jsonb, out renewal_date date, out name text, out customer_id uuid)
language plpgsql
stable
set search_path = ''
as $$
begin
  if after is null then
    return;
  end if;
  begin
    renewal_date := app.date_param(after, 'renewal_date');
    name := after ->> 'name';
    customer_id := (after ->> 'customer_id')::uuid;
  exception when others then
    renewal_date := null;
  end;
  if renewal_date is null or name is null or customer_id is null then
    raise exception 'after must be the next_after of a previous answer' using errcode = '22023',
      hint = 'Pass {"renewal_date", "name", "customer_id"} of the last item you have.';
  end if;
end;
$$;
