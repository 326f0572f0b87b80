-- A forecast change on a customer's timeline names its category as the Forecast page does
-- ("Commit", "At risk", "Churn expected") and its ARR as money ("$60,000"), as every other
-- screen says an ARR; before, the key in lower case and a bare number ("Forecast: at risk at
-- 60,000"), read on the customer page beside the page's "At risk" and by agents over MCP.
-- Restated from 20261204233000_customer_timeline_one_function_per_source.sql; only the
-- forecast change's title differs.

create or replace function app.timeline_customer_entries(req app.timeline_request)
returns setof app.timeline_entry
language plpgsql
stable
set search_path = ''
as $$
begin
  return query
  (select e.occurred_at, e.id, 'engagement'::text, e.event_type,
          coalesce(e.title, initcap(replace(e.event_type, '_', ' '))), e.description,
          nullif(e.metadata ->> 'logged_by', '')::uuid, null::uuid,
          jsonb_strip_nulls(jsonb_build_object('source', e.source, 'nps_score', e.nps_score, 'ticket_status', e.ticket_status,
            'details', e.metadata -> 'details'))
     from app.engagement_events e
    where 'engagement' = any(req.want)
      and e.customer_id = req.customer_id and e.org_id = req.org_id
      and e.occurred_at <= now() + interval '5 minutes'
      and (req.after_id is null or (e.occurred_at, e.id, 'engagement') < (req.after_at, req.after_id, req.after_kind))
    order by e.occurred_at desc, e.id desc
    limit req.page_size + 1)
  union all
  (select ch.changed_at, ch.id, case ch.field when 'renewal_stage' then 'stage_change' else 'plan_change' end, ch.field,
          case ch.field when 'renewal_stage' then 'Renewal stage: ' else 'Account plan: ' end
            || coalesce(initcap(ch.old_value), 'none') || ' → ' || coalesce(initcap(ch.new_value), 'none'), null,
          ch.changed_by, null, jsonb_build_object('from', ch.old_value, 'to', ch.new_value)
     from app.customer_changes ch
    where ch.customer_id = req.customer_id and ch.org_id = req.org_id
      and ((ch.field = 'renewal_stage' and 'stage_change' = any(req.want)) or (ch.field = 'account_plan' and 'plan_change' = any(req.want)))
      and (req.after_id is null
           or (ch.changed_at, ch.id, case ch.field when 'renewal_stage' then 'stage_change' else 'plan_change' end)
              < (req.after_at, req.after_id, req.after_kind))
    order by ch.changed_at desc, ch.id desc
    limit req.page_size + 1)
  union all
  (select f.changed_at, f.id, 'forecast_change', f.category,
          -- "at_risk" → "At risk": the first letter up, as the Forecast page's labels are written.
          'Forecast: ' || upper(left(f.category, 1)) || replace(substr(f.category, 2), '_', ' ')
            || coalesce(' at $' || to_char(round(f.forecast_arr), 'FM999,999,999,990'), ''),
          f.note, f.changed_by, f.execution_id,
          jsonb_build_object('category', f.category, 'forecast_arr', f.forecast_arr, 'renewal_date', f.renewal_date)
     from app.renewal_forecast_history f
    where 'forecast_change' = any(req.want)
      and f.customer_id = req.customer_id and f.org_id = req.org_id
      and (req.after_id is null or (f.changed_at, f.id, 'forecast_change') < (req.after_at, req.after_id, req.after_kind))
    order by f.changed_at desc, f.id desc
    limit req.page_size + 1);
end;
$$;
