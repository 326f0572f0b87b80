-- A renewal's recorded outcome (record_renewal_outcome) is on the customer's timeline, a kind
-- of its own, renewal_outcome: "Renewed at $25,000, was $22,000", "Downgraded to $18,000, was
-- $22,000", "Churned, was $22,000", dated when it was recorded, by whom, with the workflow it
-- closed. Before, the timeline showed the stage change and the workflow's completion only,
-- and nothing on the customer page said how the renewal ended.
-- Money is said by one rule, app.money_words, as every screen says an ARR (web/src/lib/format.ts
-- formatMoney: US dollars, whole, thousands separated); the forecast change's title uses it too.
-- timeline_kinds restated from 20261205064500_read_helpers_planned_once_per_session.sql and
-- timeline_customer_entries from 20261209500000_timeline_says_a_forecast_category_as_the_forecast_page_does.sql;
-- only the new kind and its branch differ.

create or replace function app.money_words(amount numeric)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return '$' || to_char(round(money_words.amount), 'FM999,999,999,990');
end;
$$;
comment on function app.money_words(numeric) is
  'An amount of money as every screen says one: "$1,250,001" (US dollars, whole, thousands separated; web/src/lib/format.ts formatMoney). Null is null.';
revoke execute on function app.money_words(numeric) from public, anon;
grant execute on function app.money_words(numeric) to authenticated, service_role;

-- How a renewal ended, in a CSM's words, the ARR before it always said.
create or replace function app.renewal_outcome_words(outcome text, previous_arr numeric, new_arr numeric)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return case renewal_outcome_words.outcome
           when 'renewed' then 'Renewed at ' || app.money_words(renewal_outcome_words.new_arr)
           when 'downgraded' then 'Downgraded to ' || app.money_words(renewal_outcome_words.new_arr)
           else 'Churned' end
         || ', was ' || app.money_words(renewal_outcome_words.previous_arr);
end;
$$;
comment on function app.renewal_outcome_words(text, numeric, numeric) is
  'A renewal outcome as the timeline says it: "Renewed at $25,000, was $22,000", "Downgraded to $18,000, was $22,000", "Churned, was $22,000".';
revoke execute on function app.renewal_outcome_words(text, numeric, numeric) from public, anon;
grant execute on function app.renewal_outcome_words(text, numeric, numeric) to authenticated, service_role;

create or replace function app.timeline_kinds()
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return array['engagement', 'workflow_started', 'workflow_completed', 'action', 'email',
               'artifact_approved', 'stage_change', 'plan_change', 'forecast_change', 'renewal_outcome'];
end;
$$;

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
            || coalesce(' at ' || app.money_words(f.forecast_arr), ''),
          f.note, f.changed_by, f.execution_id,
          jsonb_build_object('category', f.category, 'forecast_arr', f.forecast_arr, 'renewal_date', f.renewal_date)
     from app.renewal_forecast_history f
    where 'forecast_change' = any(req.want)
      and f.customer_id = req.customer_id and f.org_id = req.org_id
      and (req.after_id is null or (f.changed_at, f.id, 'forecast_change') < (req.after_at, req.after_id, req.after_kind))
    order by f.changed_at desc, f.id desc
    limit req.page_size + 1)
  union all
  (select o.recorded_at, o.id, 'renewal_outcome', o.outcome, app.renewal_outcome_words(o.outcome, o.previous_arr, o.new_arr),
          null, o.recorded_by, o.execution_id,
          jsonb_build_object('outcome', o.outcome, 'previous_arr', o.previous_arr, 'new_arr', o.new_arr, 'renewal_date', o.renewal_date)
     from app.renewal_outcomes o
    where 'renewal_outcome' = any(req.want)
      and o.customer_id = req.customer_id and o.org_id = req.org_id
      and (req.after_id is null or (o.recorded_at, o.id, 'renewal_outcome') < (req.after_at, req.after_id, req.after_kind))
    order by o.recorded_at desc, o.id desc
    limit req.page_size + 1);
end;
$$;

comment on function public.get_customer_timeline(uuid, integer, text, jsonb) is 'A customer''s activity, newest first (keyset): engagement, workflow starts and completions, actions, emails, approved artifacts, stage, plan and forecast changes, renewal outcomes.';
