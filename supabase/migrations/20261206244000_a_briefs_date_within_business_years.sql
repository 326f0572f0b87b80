-- get_daily_brief's brief_date is a date in the business years, as every other date an RPC
-- takes (docs/api-contract.md "Errors"; app.require_business_date, 20261205193000).
--
-- What and why: get_daily_brief('0001-01-01'), ('99999-01-01') or ('infinity') answered 200
-- with null, as if the person simply had no brief that day, where the forecast, retention,
-- task, snooze and meeting dates answer a date outside 2000 to 2099 with 22023 naming the
-- argument. A client (or an agent through the MCP tool get_daily_brief, which passes the
-- date on) could not tell a mistyped year from a day without a brief. It is now 22023
-- "brief_date must be a date in the years 2000 to 2099"; null still means the newest.
--
-- Restated whole from 20261206211000; the check is the only change.
-- supabase/tests/daily_brief/brief_date_within_business_years.test.sql.

create or replace function public.get_daily_brief(brief_date date default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  perform app.require_business_date(get_daily_brief.brief_date, 'brief_date');
  return (
    select jsonb_build_object(
             'id', b.id, 'brief_date', b.brief_date, 'generated_at', b.generated_at, 'since', b.since,
             'facts', b.facts, 'text', b.text, 'sentences', b.sentences, 'model', b.model, 'written_at', b.written_at,
             'items', coalesce((select jsonb_agg(f) from jsonb_array_elements(b.facts) f where f ->> 'kind' = 'top_item'), '[]'::jsonb))
      from app.daily_briefs b
     where b.profile_id = (select auth.uid())
       and (get_daily_brief.brief_date is null or b.brief_date = get_daily_brief.brief_date)
     order by b.brief_date desc
     limit 1
  );
end;
$$;

