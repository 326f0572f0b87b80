-- The forecast for a person who is not of the caller's organisation answers "Person not
-- found" (PT404), as list_tasks', list_customers' and the queue's person filters do
-- (docs/api-contract.md "Errors").
--
-- What and why: get_renewal_forecast(assignee_id => another organisation's person, or an
-- id that is nobody) answered 22023 "assignee_id is not a member of your organisation",
-- where every other function named an id the caller cannot see answers PT404 with the
-- same words for both. app.renewal_forecast_of_my_org is restated whole from
-- 20261204001100; that refusal is the only change.
-- supabase/tests/get_renewal_forecast/a_person_of_another_organisation_is_not_found.test.sql.

create or replace function app.renewal_forecast_of_my_org(
  period_start date,
  period_end date,
  assignee_id uuid default null,
  category text default null,
  max_items integer default 200,
  month date default null,
  after jsonb default null
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_start date := renewal_forecast_of_my_org.period_start;
  v_end date := renewal_forecast_of_my_org.period_end;
  v_who uuid := renewal_forecast_of_my_org.assignee_id;
  v_category text := renewal_forecast_of_my_org.category;
  v_max integer := renewal_forecast_of_my_org.max_items;
  v_month date := date_trunc('month', renewal_forecast_of_my_org.month)::date;
  a record;  -- the cursor's keys: renewal_date, name, customer_id
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read its forecast' using errcode = '42501';
  end if;
  if v_start is null or v_end is null or v_end <= v_start then
    raise exception 'period_start must be before period_end' using errcode = '22023',
      hint = 'The period is [period_start, period_end): a quarter is e.g. 2027-01-01 to 2027-04-01.';
  end if;
  if v_end - v_start > 731 then
    raise exception 'The period is longer than two years' using errcode = '22023';
  end if;
  if v_category is not null and v_category not in
     ('commit', 'probable', 'at_risk', 'churn_expected', 'renewed', 'downgraded', 'churned') then
    raise exception 'category must be a forecast category or an outcome' using errcode = '22023';
  end if;
  if v_max is null or v_max not between 0 and 1000 then
    raise exception 'max_items must be between 0 and 1000' using errcode = '22023';
  end if;
  -- A person who is not of the caller's organisation is not found, as in the other lists'
  -- person filters: the same answer for another organisation's id and a random one.
  if v_who is not null and not exists (select 1 from app.profiles p where p.id = v_who and p.org_id = v_org) then
    raise exception 'Person not found' using errcode = 'PT404',
      hint = 'assignee_id must be a person of your organisation (list_team_members).';
  end if;
  a := app.forecast_after_keys(renewal_forecast_of_my_org.after);

  return jsonb_build_object('period_start', v_start, 'period_end', v_end, 'assignee_id', v_who)
      || app.forecast_figures(v_org, v_who, v_start, v_end, v_category, v_month)
      || app.forecast_items(v_org, v_who,
           greatest(v_start, coalesce(v_month, v_start)),                               -- the items' days:
           least(v_end, coalesce((v_month + interval '1 month')::date, v_end)),         -- the period, or its month
           v_category, a.renewal_date, a.name, a.customer_id, v_max);
end;
$$;
