-- An open renewal in the forecast says how far its decision is, counted from the
-- organisation's own today: `days_until_decision` and `days_until_renewal` (negative once it
-- is past: "12 days overdue"), as the queue's, the customers list's and the customer
-- context's renewals already do.
--
-- What and why: the Forecast page listed a renewal 12 days past its date as "renews 24 Nov
-- 2026" and nothing more, so a manager reading the quarter could not tell an overdue renewal
-- from one due next week without doing the arithmetic. app.forecast_items is restated whole
-- from 20261205225500; the two day counts (null for a closed renewal, whose outcome is
-- recorded) and the organisation's today they are counted from are the only change.
-- supabase/tests/get_renewal_forecast/an_open_renewal_says_how_overdue_it_is.test.sql.

create or replace function app.forecast_items(
  org_id uuid, assignee_id uuid, items_start date, items_end date, category text,
  after_date date, after_name text, after_id uuid, max_items integer)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_max integer := forecast_items.max_items;
  -- the day the days are counted from: the organisation's, as the queue counts them
  v_today date := app.organisation_today(forecast_items.org_id);
  v_result jsonb;
begin
  with page as materialized (
    select * from app.forecast_page_rows(forecast_items.org_id, forecast_items.assignee_id, forecast_items.items_start,
                                         forecast_items.items_end, forecast_items.category, forecast_items.after_date,
                                         forecast_items.after_name, forecast_items.after_id, v_max)
  )
  select jsonb_build_object(
    'next_after', (select case when count(*) = v_max and v_max > 0 then
                              (array_agg(jsonb_build_object('renewal_date', p.renewal_date, 'name', p.name, 'customer_id', p.customer_id)
                                         order by p.renewal_date desc, p.name desc, p.customer_id desc))[1] end
                     from page p),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'state', p.state,
               'execution_id', p.execution_id,
               -- an open renewal whose workflow is escalated: no forecast or outcome until
               -- the escalation is decided (app.require_workflow_accepts), so the web app
               -- offers neither (a primary-key probe per item, at most a page)
               'on_hold', p.state = 'open' and exists (select 1 from app.workflow_executions x
                                                        where x.id = p.execution_id and x.status = 'escalated'),
               'customer', case when p.state = 'open'
                             then jsonb_build_object('id', p.customer_id, 'name', p.name, 'health_score', p.health_score,
                                                     'risk_score', p.risk_score, 'account_plan', p.account_plan)
                             else jsonb_build_object('id', p.customer_id, 'name', p.name) end,
               'renewal_date', p.renewal_date,
               'decision_date', p.decision_date,
               -- how far the decision and the renewal are (negative: overdue); an outcome
               -- recorded is past counting
               'days_until_decision', case when p.state = 'open' then p.decision_date - v_today end,
               'days_until_renewal', case when p.state = 'open' then p.renewal_date - v_today end,
               'assignee_id', p.assigned_to,
               'category', p.category,
               'category_source', p.category_source,
               'current_arr', p.current_arr,
               'forecast_arr', p.forecast_arr,
               'note', p.note,
               'set_by', p.set_by,
               'set_at', p.set_at,
               'outcome', case when p.state = 'closed' then jsonb_build_object(
                            'outcome', p.category, 'previous_arr', p.current_arr, 'new_arr', p.forecast_arr,
                            'recorded_by', p.set_by, 'recorded_at', p.set_at,
                            'forecast_category', p.forecast_category, 'forecast_arr', p.forecast_arr_at_close) end)
             order by p.renewal_date, p.name, p.customer_id)
        from page p), '[]'::jsonb)
  ) into v_result;
  return v_result;
end;
$$;
revoke execute on function app.forecast_items(uuid, uuid, date, date, text, date, text, uuid, integer)
  from public, anon, authenticated;
